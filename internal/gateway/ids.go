package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Identifiers are deterministic so that a resubmission maps onto the first submission:
//
//   - A manifest submission with an interchange reference (EDIFACT UNB 0020) is identified by
//     its carrier codes, that reference and the message reference (UNH 0062), when present.
//   - Otherwise by its carrier codes and the hash of its decoded content: the manifests with
//     their id and reception time cleared. Envelope noise that the decoder tolerates (teletype
//     headers, line wrapping, an e-mail footer) does not change it; a changed traveller does.
//   - A crossing is identified by its country, border post, and the id the post gave it, or
//     the hash of its content when it has none.
//
// A submission of n manifests has the submission id; its manifests have that id when n is 1
// and id.1 … id.n otherwise, in body order.

// hashParts hashes parts, each terminated by a NUL so that boundaries cannot shift.
func hashParts(parts ...string) [sha256.Size]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// shortID renders the first 128 bits of a hash with a prefix naming what it identifies.
func shortID(prefix string, h [sha256.Size]byte) string { return prefix + hex.EncodeToString(h[:16]) }

// manifestContent hashes the manifests with the fields the gateway sets cleared.
func manifestContent(ms []event.Manifest) ([32]byte, error) {
	cp := slices.Clone(ms)
	for i := range cp {
		cp[i].ID, cp[i].ReceivedAt = "", time.Time{}
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// submissionContent hashes what a manifest submission holds: its manifests (manifestContent)
// and, for a PNRGOV body, its PNRs with the fields the gateway sets cleared, so that an
// interchange reference reused for changed booking data is a conflict, not a duplicate whose
// new data would be dropped. Without PNRs it is manifestContent, unchanged.
func submissionContent(ms []event.Manifest, pnrs [][]event.PNR) ([32]byte, error) {
	h, err := manifestContent(ms)
	if err != nil {
		return h, err
	}
	n := 0
	for _, ps := range pnrs {
		n += len(ps)
	}
	if n == 0 {
		return h, nil
	}
	cp := make([][]event.PNR, len(pnrs))
	for i, ps := range pnrs {
		cp[i] = make([]event.PNR, len(ps))
		for j := range ps {
			p := ps[j] // shares its lists with ps: only fields of the copy are cleared
			p.ID, p.ManifestID, p.Country, p.ReceivedAt = "", "", "", time.Time{}
			p.Travellers = slices.Clone(p.Travellers)
			for k := range p.Travellers {
				p.Travellers[k].SubjectID = ""
			}
			cp[i][j] = p
		}
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return [32]byte{}, err
	}
	return hashParts("pnr", hex.EncodeToString(h[:]), string(b)), nil
}

// carrierSet is the sorted, de-duplicated, upper-cased carrier codes of ms, comma-joined.
func carrierSet(ms []event.Manifest) string {
	cs := make([]string, 0, 1)
	for i := range ms {
		cs = append(cs, strings.ToUpper(strings.TrimSpace(ms[i].Carrier)))
	}
	slices.Sort(cs)
	return strings.Join(slices.Compact(cs), ",")
}

// submissionID derives a manifest submission's id.
func submissionID(carriers, interchangeRef, messageRef string, content [32]byte) string {
	if interchangeRef != "" {
		return shortID("m-", hashParts("ref", carriers, interchangeRef, messageRef))
	}
	return shortID("m-", hashParts("content", carriers, hex.EncodeToString(content[:])))
}

// manifestIDs returns the ids of the n manifests of submission id.
func manifestIDs(id string, n int) []string {
	if n == 1 {
		return []string{id}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = id + "." + strconv.Itoa(i+1)
	}
	return out
}

// crossingContent hashes a crossing with the fields the gateway sets cleared.
func crossingContent(c *event.Crossing) ([32]byte, error) {
	cp := *c
	cp.ID = ""
	b, err := json.Marshal(&cp)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// crossingID derives a crossing's id. The post's own id is namespaced by country and post,
// so two posts numbering their events alike never share a subject or hit id.
func crossingID(country, post, postID string, content [32]byte) string {
	country, post = strings.ToUpper(strings.TrimSpace(country)), strings.ToUpper(strings.TrimSpace(post))
	if postID != "" {
		return shortID("c-", hashParts("id", country, post, postID))
	}
	return shortID("c-", hashParts("content", country, post, hex.EncodeToString(content[:])))
}

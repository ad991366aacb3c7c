package operations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/watchpost/watchpost/analytics/queries"
)

// PostKind is what kind of crossing a border post is.
type PostKind string

// The kinds of border post (an Enum8 in ClickHouse).
const (
	Airport PostKind = "airport"
	Seaport PostKind = "seaport"
	Land    PostKind = "land"
)

// BorderPost describes the code screenings and hits carry in border_post.
type BorderPost struct {
	Code    string   `json:"code"`    // IATA code of an airport, UN/LOCODE of a port or crossing
	Country string   `json:"country"` // ISO 3166 alpha-3
	Kind    PostKind `json:"kind"`
	Name    string   `json:"name"` // e.g. "Paris Charles de Gaulle"
}

// Validate reports every problem with p at once.
func (p BorderPost) Validate() error {
	var errs []error
	if !postPattern.MatchString(p.Code) {
		errs = append(errs, errors.New("border post code must be 2-16 upper-case letters and digits"))
	}
	if !countryPattern.MatchString(p.Country) {
		errs = append(errs, errors.New("border post country must be ISO 3166 alpha-3"))
	}
	if p.Kind != Airport && p.Kind != Seaport && p.Kind != Land {
		errs = append(errs, errors.New("border post kind must be airport, seaport or land"))
	}
	if strings.TrimSpace(p.Name) == "" || len(p.Name) > 200 || strings.IndexFunc(p.Name, unicode.IsControl) >= 0 {
		errs = append(errs, errors.New("border post name must be 1-200 bytes without control characters"))
	}
	return errors.Join(errs...)
}

// PutPosts validates every post and writes them as one batch; a post written again replaces
// the earlier row (the latest wins).
func PutPosts(ctx context.Context, conn driver.Conn, posts []BorderPost) error {
	if len(posts) == 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Second)
	rows := make([][]any, len(posts))
	for i, p := range posts {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("validating border post %d: %w", i+1, err)
		}
		rows[i] = []any{p.Code, p.Country, string(p.Kind), strings.TrimSpace(p.Name), now}
	}
	return insert(ctx, conn, "border_posts", "INSERT INTO border_posts (code, country, kind, name, updated_at)", rows)
}

// ListPosts returns every known border post, latest version of each, ordered by code.
func ListPosts(ctx context.Context, conn driver.Conn) ([]BorderPost, error) {
	text, err := queries.Text(queries.FileBorderPosts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	rows, err := conn.Query(ctx, strings.TrimSuffix(strings.TrimSpace(text), ";"))
	if err != nil {
		return nil, fmt.Errorf("listing border posts: %w", err)
	}
	defer rows.Close()
	var out []BorderPost
	for rows.Next() {
		var (
			p    BorderPost
			kind string
		)
		if err := rows.Scan(&p.Code, &p.Country, &kind, &p.Name); err != nil {
			return nil, fmt.Errorf("scanning border posts: %w", err)
		}
		p.Kind = PostKind(kind)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing border posts: %w", err)
	}
	return out, nil
}

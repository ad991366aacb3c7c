package lists

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
	"github.com/watchpost/watchpost/schemas"
	"github.com/watchpost/watchpost/schemas/schemastest"
)

// secret marks values in the test files: no error may repeat one.
const secret = "ZQXJ"

// env is a kfake cluster with every reference topic (three partitions each) and a loader
// configuration for it.
type env struct {
	c     *consumerstest.Cluster
	serde *schemas.Serde
	k     app.Kafka
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, db := range event.Databases() {
		names = append(names, app.ReferenceTopics(ts)[db])
	}
	c := consumerstest.NewCluster(t, 3, names...)
	return &env{c: c, serde: schemastest.NewSerde(t, nil), k: app.Kafka{Brokers: c.Brokers, Topics: ts}}
}

func (e *env) topic(db event.Database) string { return app.ReferenceTopics(e.k.Topics)[db] }

func (e *env) config(owner string) Config {
	return Config{Kafka: e.k, Serde: e.serde, Owner: owner}
}

// read reads a list from text, as `lists load` does.
func read(t *testing.T, name string, db event.Database, owner, text string) *jsonl.List {
	t.Helper()
	l, err := Read(strings.NewReader(text), name, db, FormatAuto, owner)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return l
}

func readPath(t *testing.T, path string, db event.Database, owner string) *jsonl.List {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, filepath.Base(path), db, owner, string(b))
}

func (e *env) load(t testing.TB, cfg Config, l *jsonl.List) Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	sum, err := Load(ctx, cfg, l)
	if err != nil {
		t.Fatalf("loading %s: %v", l.Name, err)
	}
	return sum
}

// topicRecord is one record on a topic, as read_committed readers see it.
type topicRecord struct {
	Key   string
	Value string // "" for a tombstone
}

// records reads every committed data record of topic, up to the last stable offsets, from
// offset from (per partition, as returned by ends; nil means the start), in partition and
// offset order.
func (e *env) records(t *testing.T, topic string, from map[int32]int64) []topicRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	ends, err := stableOffsets(ctx, e.c.Admin(t), topic)
	if err != nil {
		t.Fatal(err)
	}
	start := map[int32]kgo.Offset{}
	for p := range ends {
		start[p] = kgo.NewOffset().At(from[p])
	}
	cl := e.c.Client(t, kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: start}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords())
	next := map[int32]int64{}
	for p := range ends {
		next[p] = from[p]
	}
	byPart := map[int32][]topicRecord{}
	for {
		done := true
		for p, end := range ends {
			done = done && next[p] >= end
		}
		if done {
			break
		}
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("reading %s: %v", topic, ctx.Err())
		}
		fs.EachRecord(func(r *kgo.Record) {
			next[r.Partition] = r.Offset + 1
			if !r.Attrs.IsControl() {
				byPart[r.Partition] = append(byPart[r.Partition], topicRecord{Key: string(r.Key), Value: string(r.Value)})
			}
		})
	}
	var out []topicRecord
	for p := range int32(len(ends)) {
		out = append(out, byPart[p]...)
	}
	return out
}

// ends returns the end offsets (high watermarks) of topic.
func (e *env) ends(t *testing.T, topic string) map[int32]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	offs, err := e.c.Admin(t).ListEndOffsets(ctx, topic)
	if err == nil {
		err = offs.Error()
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[int32]int64{}
	offs.Each(func(o kadm.ListedOffset) { out[o.Partition] = o.Offset })
	return out
}

// state folds a topic's records into its current content: key -> value.
func (e *env) state(t *testing.T, topic string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range e.records(t, topic, nil) {
		if r.Value == "" {
			delete(out, r.Key)
		} else {
			out[r.Key] = r.Value
		}
	}
	return out
}

func (e *env) decodeSLTD(t *testing.T, v string) *watchlist.Document {
	t.Helper()
	d, err := e.serde.DecodeSLTDRecord([]byte(v))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const sltdV1 = `{"id":"S1","number":"X1000001","type":"P","issuer":"FRA","status":"stolen"}
{"id":"S2","number":"X1000002","type":"P","issuer":"FRA","status":"lost"}
{"id":"S3","number":"X1000003","type":"P","issuer":"FRA","status":"stolen"}
`

// TestLoadProducesOnlyDifferences: a first load produces every record, the same file again
// nothing, and a file with one change, one removal and one addition exactly one update, one
// tombstone and one add.
func TestLoadProducesOnlyDifferences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	topic := e.topic(event.DBSLTD)

	sum := e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))
	want := Summary{Database: event.DBSLTD, Owner: "FRA", Topic: topic, Records: 3, Added: 3}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("first load (-want +got):\n%s", diff)
	}
	st := e.state(t, topic)
	if len(st) != 3 {
		t.Fatalf("%d records on the topic, want 3", len(st))
	}
	if d := e.decodeSLTD(t, st["S2"]); d.Owner != "FRA" || d.Status != watchlist.StatusLost {
		t.Errorf("S2 on the topic: %+v, want FRA's lost document (the owner filled in)", d)
	}

	before := e.ends(t, topic)
	sum = e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))
	want = Summary{Database: event.DBSLTD, Owner: "FRA", Topic: topic, Records: 3, Unchanged: 3}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("reload (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, e.ends(t, topic)); diff != "" {
		t.Errorf("reloading the same file wrote to the topic (-before +after):\n%s", diff)
	}

	v2 := `{"id":"S1","number":"X1000001","type":"P","issuer":"FRA","status":"stolen"}
{"id":"S2","number":"X1000002","type":"P","issuer":"FRA","status":"stolen"}
{"id":"S4","number":"X1000004","type":"P","issuer":"FRA","status":"stolen"}
`
	sum = e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", v2))
	want = Summary{Database: event.DBSLTD, Owner: "FRA", Topic: topic, Records: 3, Added: 1, Updated: 1, Unchanged: 1, Cancelled: 1}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("reload with changes (-want +got):\n%s", diff)
	}
	got := map[string]string{}
	for _, r := range e.records(t, topic, before) {
		kind := "tombstone"
		if r.Value != "" {
			kind = string(e.decodeSLTD(t, r.Value).Status)
		}
		if _, dup := got[r.Key]; dup {
			t.Errorf("%s produced twice", r.Key)
		}
		got[r.Key] = kind
	}
	if diff := cmp.Diff(map[string]string{"S2": "stolen", "S3": "tombstone", "S4": "stolen"}, got); diff != "" {
		t.Errorf("records produced by the reload (-want +got):\n%s", diff)
	}
	if st := e.state(t, topic); len(st) != 3 || st["S3"] != "" || st["S4"] == "" {
		t.Errorf("topic holds %v after the reload, want S1, S2, S4", keys(st))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestLoadLeavesOtherOwners: another owner's records on the topic survive a reload that
// removes every record of this owner, and an id of theirs in this owner's file is a located
// error that produces nothing.
func TestLoadLeavesOtherOwners(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	topic := e.topic(event.DBSLTD)
	e.load(t, e.config("ITA"), read(t, "ita.jsonl", event.DBSLTD, "ITA",
		`{"id":"I1","number":"Y1000001","issuer":"ITA","status":"stolen"}
{"id":"I2","number":"Y1000002","issuer":"ITA","status":"lost","restricted_to":["FRA"]}`))
	itaBefore := e.state(t, topic)
	e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))

	sum := e.load(t, e.config("FRA"), read(t, "empty.jsonl", event.DBSLTD, "FRA", "\n"))
	if sum.Cancelled != 3 || sum.Added+sum.Updated+sum.Unchanged != 0 {
		t.Errorf("emptying FRA's list: %+v, want 3 cancelled and nothing else", sum)
	}
	if diff := cmp.Diff(itaBefore, e.state(t, topic)); diff != "" {
		t.Errorf("ITA's records changed (-before +after):\n%s", diff)
	}

	before := e.ends(t, topic)
	l := read(t, "sltd.jsonl", event.DBSLTD, "FRA", `{"id":"F1","number":"X1","issuer":"FRA","status":"stolen"}
{"id":"I2","number":"ZQXJ1","issuer":"FRA","status":"stolen"}
{"id":"I1","number":"ZQXJ2","issuer":"FRA","status":"stolen"}`)
	_, err := Load(t.Context(), e.config("FRA"), l)
	wantErr := "sltd.jsonl:2: id: used by another owner's record on the reference topic\n" +
		"sltd.jsonl:3: id: used by another owner's record on the reference topic"
	if err == nil || err.Error() != wantErr {
		t.Errorf("loading ids of ITA's records: %v, want\n%s", err, wantErr)
	}
	if diff := cmp.Diff(before, e.ends(t, topic)); diff != "" {
		t.Errorf("a refused load wrote to the topic (-before +after):\n%s", diff)
	}
}

// TestReadRefusesBadLines: every bad line of a file is reported with its line and field,
// never a value, and another owner's record or document is among them.
func TestReadRefusesBadLines(t *testing.T) {
	t.Parallel()
	text := `{"id":"S1","number":"X1000001","issuer":"FRA","status":"stolen"}
{"id":"S2","number":"ZQXJ1","issuer":"FRA","status":"misplaced"}
{"id":"S3","number":"ZQXJ2","issuer":"ITA","status":"stolen","owner":"ITA"}
not json ZQXJ
{"id":"S1","number":"ZQXJ3","issuer":"FRA","status":"stolen"}
`
	l, err := Read(strings.NewReader(text), "sltd.jsonl", event.DBSLTD, FormatAuto, "FRA")
	if l != nil || err == nil {
		t.Fatalf("Read = %v, %v: want only an error", l, err)
	}
	want := []string{
		"sltd.jsonl:2: status: want stolen, lost, stolen_blank, revoked or invalidated",
		"sltd.jsonl:3: owner: another owner's record: a loader loads only its own country's records",
		"sltd.jsonl:3: issuer: issued by another country: only the issuing country may load its documents",
		"sltd.jsonl:4: malformed JSON",
		"sltd.jsonl:5: id: duplicate id (first on line 1)",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), secret) {
		t.Error("an error repeats a value")
	}
	if _, err := Read(strings.NewReader(""), "x", event.DBSLTD, "xml", "FRA"); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// TestLoadCSVEqualsJSONL loads the same records of every database as JSONL into one cluster
// and as CSV into another: the topics hold the same keys and bytes.
func TestLoadCSVEqualsJSONL(t *testing.T) {
	t.Parallel()
	ej, ec := newEnv(t), newEnv(t)
	for _, db := range event.Databases() {
		base := filepath.Join("testdata", "fra", string(db))
		sj := ej.load(t, ej.config("FRA"), readPath(t, base+".jsonl", db, "FRA"))
		sc := ec.load(t, ec.config("FRA"), readPath(t, base+".csv", db, "FRA"))
		if sj.Added == 0 || sj != sc {
			t.Errorf("%s: JSONL load %+v, CSV load %+v: want the same, non-empty", db, sj, sc)
		}
		if diff := cmp.Diff(ej.state(t, ej.topic(db)), ec.state(t, ec.topic(db))); diff != "" {
			t.Errorf("%s: topic contents differ (-jsonl +csv):\n%s", db, diff)
		}
		// The other form of the same records changes nothing.
		if s := ej.load(t, ej.config("FRA"), readPath(t, base+".csv", db, "FRA")); s.Unchanged != s.Records || s.Records == 0 {
			t.Errorf("%s: CSV over JSONL: %+v, want everything unchanged", db, s)
		}
	}
}

func TestLoadDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	topic := e.topic(event.DBSLTD)
	e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))
	before := e.ends(t, topic)
	cfg := e.config("FRA")
	cfg.DryRun = true
	sum := e.load(t, cfg, read(t, "sltd.jsonl", event.DBSLTD, "FRA", `{"id":"S1","number":"X1000001","type":"P","issuer":"FRA","status":"lost"}
{"id":"S9","number":"X1000009","type":"P","issuer":"FRA","status":"lost"}`))
	want := Summary{Database: event.DBSLTD, Owner: "FRA", Topic: topic, Records: 2, Added: 1, Updated: 1, Cancelled: 2, DryRun: true}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("dry run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, e.ends(t, topic)); diff != "" {
		t.Errorf("a dry run wrote to the topic (-before +after):\n%s", diff)
	}
}

// TestLoadAbortsOnConcurrentLoad: a load of the same owner that commits between this load's
// read and its commit makes this one abort with nothing written; the other load's records
// stand, and running this one again then applies its differences.
func TestLoadAbortsOnConcurrentLoad(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	topic := e.topic(event.DBSLTD)
	e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))
	other := `{"id":"S7","number":"X1000007","type":"P","issuer":"FRA","status":"stolen"}`
	// An unrelated owner's load in between does not disturb this one.
	cfg := e.config("FRA")
	cfg.beforeProduce = func() {
		e.load(t, e.config("DEU"), read(t, "deu.jsonl", event.DBSLTD, "DEU", `{"id":"D1","number":"Z1","issuer":"DEU","status":"lost"}`))
	}
	if s := e.load(t, cfg, read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1+other)); s.Added != 1 {
		t.Fatalf("load beside DEU's: %+v, want S7 added", s)
	}

	cfg.beforeProduce = func() { e.load(t, e.config("FRA"), read(t, "other.jsonl", event.DBSLTD, "FRA", other)) }
	_, err := Load(t.Context(), cfg, read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))
	if !errors.Is(err, ErrConcurrentLoad) {
		t.Fatalf("Load = %v, want ErrConcurrentLoad", err)
	}
	st := e.state(t, topic)
	if len(st) != 2 || st["S7"] == "" || st["D1"] == "" {
		t.Fatalf("topic holds %v, want only the concurrent load's S7 and DEU's D1", keys(st))
	}
	if s := e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1)); s.Added != 3 || s.Cancelled != 1 {
		t.Errorf("running it again: %+v, want 3 added and S7 cancelled", s)
	}
}

// TestLoadAfterCrash: a load that died inside its transaction leaves nothing visible, and the
// next load of the same owner and database aborts it and loads the file.
func TestLoadAfterCrash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	topic := e.topic(event.DBSLTD)
	e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))

	// The dead load: its transactional id, records produced, never committed.
	dead, err := e.k.Producer(kgo.TransactionalID(TransactionalIDPrefix+"FRA-"+topic), kgo.TransactionTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := dead.ProduceSync(t.Context(), &kgo.Record{Topic: topic, Key: []byte("S1")}, &kgo.Record{Topic: topic, Key: []byte("S2")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, topic); len(st) != 3 {
		t.Fatalf("an open transaction's tombstones are visible: %v", keys(st))
	}

	sum := e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1+`{"id":"S5","number":"X1000005","issuer":"FRA","status":"lost"}`))
	if sum.Added != 1 || sum.Unchanged != 3 {
		t.Errorf("load after the crash: %+v, want S5 added and S1-S3 unchanged", sum)
	}
	if st := e.state(t, topic); len(st) != 4 {
		t.Errorf("topic holds %v, want S1, S2, S3, S5: the dead load's tombstones aborted", keys(st))
	}
	if err := dead.EndTransaction(t.Context(), kgo.TryCommit); err == nil {
		t.Error("the dead load could still commit after the next load fenced it")
	}
	dead.Close()
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	err := Config{Owner: "fr", TransactionTimeout: -1}.Validate()
	for _, w := range []string{"brokers", "serde", "owner", "transaction timeout"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() = %v, want a %s problem", err, w)
		}
	}
}

// TestLoadOlderSchemaUnchanged: a record written with an older schema version (the v1 golden
// bytes of package schemas) and equal to the file's is unchanged: nothing is re-sent.
func TestLoadOlderSchemaUnchanged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := schemastest.IDs()
	ids[schemas.VersionKey(schemas.SubjectSLTDRecord, 1)] = 1000
	s := schemastest.NewSerde(t, ids)
	e.serde = s
	golden, err := os.ReadFile("../../schemas/testdata/sltd_record.v1.golden")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := hex.DecodeString(strings.Join(strings.Fields(string(golden)), ""))
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint32(v1[1:5], 1000) // the golden file's id for v1 is this test's 1000
	topic := e.topic(event.DBSLTD)
	e.c.Produce(t, &kgo.Record{Topic: topic, Key: []byte("sltd-DEU-000001"), Value: v1})
	if _, err := s.DecodeSLTDRecord(v1); err != nil {
		t.Fatalf("the v1 record does not decode: %v", err)
	}
	before := e.ends(t, topic)
	l := read(t, "sltd.jsonl", event.DBSLTD, "DEU",
		`{"id":"sltd-DEU-000001","number":"C01X00T40","number_to":"C01X00T49","type":"P","issuer":"DEU","status":"stolen_blank"}`)
	if sum := e.load(t, e.config("DEU"), l); sum.Unchanged != 1 || sum.Added+sum.Updated+sum.Cancelled != 0 {
		t.Errorf("loading the v1 record's content: %+v, want it unchanged", sum)
	}
	if diff := cmp.Diff(before, e.ends(t, topic)); diff != "" {
		t.Errorf("an unchanged record was re-sent (-before +after):\n%s", diff)
	}
	l = read(t, "sltd.jsonl", event.DBSLTD, "DEU",
		`{"id":"sltd-DEU-000001","number":"C01X00T40","number_to":"C01X00T49","type":"P","issuer":"DEU","status":"stolen_blank","restricted_from":["ITA"]}`)
	if sum := e.load(t, e.config("DEU"), l); sum.Updated != 1 {
		t.Errorf("adding a restriction to the v1 record: %+v, want it updated", sum)
	}
}

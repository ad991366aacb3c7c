package operations_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/ddl"
	"github.com/watchpost/watchpost/analytics/internal/chtest"
	"github.com/watchpost/watchpost/analytics/operations"
)

func TestIntegrationOperations(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	ctx := t.Context()
	if err := ddl.Migrate(ctx, conn); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	if got, err := operations.List(ctx, conn); err != nil || len(got) != 0 {
		t.Fatalf("List() on an empty table = %v, %v", got, err)
	}
	start := time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)
	stop := operations.Operation{
		Name: "STOP Liberterra", Kind: operations.Stop, Start: start, End: start.Add(14 * 24 * time.Hour),
		BorderPosts: []string{"ory", "CDG"}, Countries: []string{"FRA"},
	}
	created, err := operations.Create(ctx, conn, stop)
	if err != nil {
		t.Fatalf("Create() error = %v", err)
	}
	if created.ID == "" || created.CreatedAt.IsZero() {
		t.Fatalf("Create() = %+v, want an id and a creation time", created)
	}
	summit := operations.Operation{ID: "summit-26", Name: "Summit", Kind: operations.MajorEvent, Start: start.Add(-time.Hour), End: start}
	if _, err := operations.Create(ctx, conn, summit); err != nil {
		t.Fatalf("Create(summit) error = %v", err)
	}

	// The same operation again: a no-op, same id, no second row.
	again, err := operations.Create(ctx, conn, stop)
	if err != nil {
		t.Fatalf("Create() again error = %v", err)
	}
	if diff := cmp.Diff(created, again); diff != "" {
		t.Errorf("re-creating changed the operation (-first +again):\n%s", diff)
	}
	var rows uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM operations").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("operations holds %d rows, want 2", rows)
	}

	// A different definition under an existing id is refused.
	clash := summit
	clash.Name = "Other summit"
	if _, err := operations.Create(ctx, conn, clash); !errors.Is(err, operations.ErrExists) {
		t.Errorf("Create(clash) error = %v, want ErrExists", err)
	}
	if _, err := operations.Create(ctx, conn, operations.Operation{Name: "x"}); err == nil {
		t.Error("Create(invalid) succeeded")
	}

	list, err := operations.List(ctx, conn)
	if err != nil {
		t.Fatalf("List() error = %v", err)
	}
	wantSummit := summit
	wantSummit.BorderPosts, wantSummit.Countries = []string{}, []string{}
	got := map[string]operations.Operation{}
	for _, o := range list {
		if o.CreatedAt.IsZero() {
			t.Errorf("%s: no creation time", o.ID)
		}
		o.CreatedAt = time.Time{}
		got[o.ID] = o
	}
	wantStop := created
	wantStop.CreatedAt = time.Time{}
	if diff := cmp.Diff(map[string]operations.Operation{created.ID: wantStop, "summit-26": wantSummit}, got); diff != "" {
		t.Errorf("List() mismatch (-want +got):\n%s", diff)
	}
	if list[0].ID != "summit-26" {
		t.Errorf("List() not ordered by start: first is %s", list[0].ID)
	}
	if _, err := operations.Get(ctx, conn, "nope"); !errors.Is(err, operations.ErrNotFound) {
		t.Errorf("Get(nope) error = %v, want ErrNotFound", err)
	}

	posts := []operations.BorderPost{
		{Code: "ORY", Country: "FRA", Kind: operations.Airport, Name: "Paris Orly"},
		{Code: "CDG", Country: "FRA", Kind: operations.Airport, Name: "Paris CDG"},
	}
	if err := operations.PutPosts(ctx, conn, posts); err != nil {
		t.Fatalf("PutPosts() error = %v", err)
	}
	time.Sleep(1100 * time.Millisecond) // updated_at has second precision: the rename must be later
	if err := operations.PutPosts(ctx, conn, []operations.BorderPost{{Code: "CDG", Country: "FRA", Kind: operations.Airport, Name: "Paris Charles de Gaulle"}}); err != nil {
		t.Fatalf("PutPosts(rename) error = %v", err)
	}
	if err := operations.PutPosts(ctx, conn, []operations.BorderPost{{Code: "x"}}); err == nil {
		t.Error("PutPosts(invalid) succeeded")
	}
	gotPosts, err := operations.ListPosts(ctx, conn)
	if err != nil {
		t.Fatalf("ListPosts() error = %v", err)
	}
	wantPosts := []operations.BorderPost{
		{Code: "CDG", Country: "FRA", Kind: operations.Airport, Name: "Paris Charles de Gaulle"},
		{Code: "ORY", Country: "FRA", Kind: operations.Airport, Name: "Paris Orly"},
	}
	if diff := cmp.Diff(wantPosts, gotPosts); diff != "" {
		t.Errorf("ListPosts() mismatch (-want +got):\n%s", diff)
	}
}

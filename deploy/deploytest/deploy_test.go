package deploytest

import (
	"os"
	"testing"
)

// repoRoot is the repository, relative to this package.
const repoRoot = "../.."

func loadRepo(t *testing.T) *Repo {
	t.Helper()
	r, err := LoadRepo(os.DirFS(repoRoot))
	if err != nil {
		t.Fatalf("reading the source tree: %v", err)
	}
	return r
}

func TestDeploymentFiles(t *testing.T) {
	t.Parallel()
	r := loadRepo(t)
	for _, err := range CheckAll(r) {
		t.Error(err)
	}
}

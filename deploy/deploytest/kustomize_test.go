package deploytest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"reflect"
	"testing"
)

// normalize makes YAML-decoded values comparable: through JSON, numbers become float64.
func normalize(t *testing.T, objs []Object) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, o := range objs {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		out[str(o["kind"])+"/"+str(get(o, "metadata", "name"))] = v
	}
	return out
}

func TestKustomizeMatchesKubectl(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: the built-in renderer is not compared with kustomize")
	}
	root := "../.."
	fsys := os.DirFS(root)
	dirs, err := KustomizationDirs(fsys, K8sDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if KustomizationKind(fsys, dir) == "Component" {
			continue
		}
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			got, err := Kustomize(fsys, dir)
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.CommandContext(t.Context(), kubectl, "kustomize", path.Join(root, dir)).Output()
			if err != nil {
				t.Fatalf("kubectl kustomize %s: %v", dir, err)
			}
			want, err := decodeDocs(out)
			if err != nil {
				t.Fatal(err)
			}
			g, w := normalize(t, got), normalize(t, want)
			for id := range w {
				if _, ok := g[id]; !ok {
					t.Errorf("%s: kubectl renders %s, the built-in renderer does not", dir, id)
				}
			}
			for id, gv := range g {
				wv, ok := w[id]
				if !ok {
					t.Errorf("%s: the built-in renderer renders %s, kubectl does not", dir, id)
					continue
				}
				for _, d := range diff("", gv, wv) {
					t.Errorf("%s: %s: %s", dir, id, d)
				}
			}
		})
	}
}

// diff lists the paths where got and want differ.
func diff(at string, got, want any) []string {
	gm, gok := got.(map[string]any)
	wm, wok := want.(map[string]any)
	if gok && wok {
		var out []string
		for k := range wm {
			out = append(out, diff(at+"/"+k, gm[k], wm[k])...)
		}
		for k := range gm {
			if _, ok := wm[k]; !ok {
				out = append(out, fmt.Sprintf("%s/%s: built-in %v, kubectl nothing", at, k, gm[k]))
			}
		}
		return out
	}
	gl, gok := got.([]any)
	wl, wok := want.([]any)
	if gok && wok && len(gl) == len(wl) {
		var out []string
		for i := range wl {
			out = append(out, diff(fmt.Sprintf("%s/%d", at, i), gl[i], wl[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(got, want) {
		return []string{fmt.Sprintf("%s: built-in %v, kubectl %v", at, got, want)}
	}
	return nil
}

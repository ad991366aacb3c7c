package deploytest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Object is one Kubernetes object as decoded from YAML.
type Object = map[string]any

// Kustomize renders the kustomization in dir the way `kubectl kustomize` does, for the subset
// of kustomize these files use: resources (files and directories), components, patches
// (strategic merge, or JSON 6902 with a target), images and namespace. Any other field is an
// error rather than silently ignored.
func Kustomize(fsys fs.FS, dir string) ([]Object, error) {
	return kustomize(fsys, dir, nil, false, map[string]bool{})
}

type kustomization struct {
	APIVersion string   `yaml:"apiVersion"`
	Kind       string   `yaml:"kind"`
	Namespace  string   `yaml:"namespace"`
	Resources  []string `yaml:"resources"`
	Components []string `yaml:"components"`
	Patches    []struct {
		Path   string `yaml:"path"`
		Patch  string `yaml:"patch"`
		Target *struct {
			Group   string `yaml:"group"`
			Version string `yaml:"version"`
			Kind    string `yaml:"kind"`
			Name    string `yaml:"name"`
		} `yaml:"target"`
	} `yaml:"patches"`
	Images []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
	} `yaml:"images"`
}

// KustomizationFile returns the kustomization file of dir, or "".
func KustomizationFile(fsys fs.FS, dir string) string {
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if _, err := fs.Stat(fsys, path.Join(dir, n)); err == nil {
			return path.Join(dir, n)
		}
	}
	return ""
}

func kustomize(fsys fs.FS, dir string, acc []Object, component bool, visiting map[string]bool) ([]Object, error) {
	file := KustomizationFile(fsys, dir)
	if file == "" {
		return nil, fmt.Errorf("%s: no kustomization.yaml", dir)
	}
	if visiting[dir] {
		return nil, fmt.Errorf("%s: kustomization cycle", dir)
	}
	visiting[dir] = true
	defer delete(visiting, dir)
	var k kustomization
	if err := decodeYAMLFile(fsys, file, &k); err != nil {
		return nil, err
	}
	switch {
	case component && k.Kind != "Component":
		return nil, fmt.Errorf("%s: listed as a component but kind is %q", file, k.Kind)
	case !component && k.Kind == "Component":
		return nil, fmt.Errorf("%s: a Component can only be listed under components", file)
	}
	objs := acc
	for _, res := range k.Resources {
		p := path.Join(dir, res)
		st, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("%s: resource %s does not exist", file, res)
		}
		if st.IsDir() {
			sub, err := kustomize(fsys, p, nil, false, visiting)
			if err != nil {
				return nil, err
			}
			objs = append(objs, sub...)
			continue
		}
		docs, err := readYAMLDocs(fsys, p)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if _, ok := d["kind"]; !ok {
				return nil, fmt.Errorf("%s: a document without kind", p)
			}
			objs = append(objs, d)
		}
	}
	if err := checkUnique(objs); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for _, c := range k.Components {
		var err error
		if objs, err = kustomize(fsys, path.Join(dir, c), objs, true, visiting); err != nil {
			return nil, err
		}
	}
	for i, pt := range k.Patches {
		where := fmt.Sprintf("%s: patches[%d]", file, i)
		var content []byte
		switch {
		case pt.Path != "" && pt.Patch != "":
			return nil, fmt.Errorf("%s: both path and patch", where)
		case pt.Path != "":
			b, err := fs.ReadFile(fsys, path.Join(dir, pt.Path))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			content = b
		default:
			content = []byte(pt.Patch)
		}
		var probe any
		if err := yaml.Unmarshal(content, &probe); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if ops, ok := probe.([]any); ok {
			if pt.Target == nil || pt.Target.Kind == "" || pt.Target.Name == "" {
				return nil, fmt.Errorf("%s: a JSON 6902 patch needs a target kind and name", where)
			}
			o := find(objs, pt.Target.Kind, pt.Target.Name)
			if o == nil {
				return nil, fmt.Errorf("%s: target %s/%s does not exist", where, pt.Target.Kind, pt.Target.Name)
			}
			for _, op := range ops {
				if err := applyJSON6902(o, op); err != nil {
					return nil, fmt.Errorf("%s: %w", where, err)
				}
			}
			continue
		}
		docs, err := decodeDocs(content)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		for _, d := range docs {
			kind, name := str(d["kind"]), str(get(d, "metadata", "name"))
			if pt.Target != nil {
				kind, name = pt.Target.Kind, pt.Target.Name
			}
			o := find(objs, kind, name)
			if o == nil {
				return nil, fmt.Errorf("%s: no %s %q to patch", where, kind, name)
			}
			if get(d, "$patch") == "delete" {
				objs = remove(objs, o)
				continue
			}
			merged := strategicMerge(o, d, "").(map[string]any)
			for key := range o {
				delete(o, key)
			}
			for key, v := range merged {
				o[key] = v
			}
		}
	}
	for _, im := range k.Images {
		for _, o := range objs {
			for _, c := range containersOf(o) {
				img := str(c["image"])
				name, tag := splitImage(img)
				if name != im.Name {
					continue
				}
				if im.NewName != "" {
					name = im.NewName
				}
				if im.NewTag != "" {
					tag = im.NewTag
				}
				c["image"] = name
				if tag != "" {
					c["image"] = name + ":" + tag
				}
			}
		}
	}
	if k.Namespace != "" {
		for _, o := range objs {
			md, _ := o["metadata"].(map[string]any)
			if md == nil {
				md = map[string]any{}
				o["metadata"] = md
			}
			switch str(o["kind"]) {
			case "Namespace":
				md["name"] = k.Namespace
			case "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass":
			default:
				md["namespace"] = k.Namespace
			}
		}
	}
	if err := checkUnique(objs); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return objs, nil
}

func checkUnique(objs []Object) error {
	seen := map[string]bool{}
	for _, o := range objs {
		id := str(o["kind"]) + "/" + str(get(o, "metadata", "name"))
		if seen[id] {
			return fmt.Errorf("%s declared twice", id)
		}
		seen[id] = true
	}
	return nil
}

func splitImage(img string) (name, tag string) {
	if i := strings.LastIndex(img, ":"); i > strings.LastIndex(img, "/") {
		return img[:i], img[i+1:]
	}
	return img, ""
}

func readYAMLDocs(fsys fs.FS, name string) ([]Object, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	docs, err := decodeDocs(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return docs, nil
}

// decodeDocs decodes every non-empty document of a YAML stream.
func decodeDocs(b []byte) ([]Object, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []Object
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if d != nil {
			out = append(out, d)
		}
	}
}

func find(objs []Object, kind, name string) Object {
	for _, o := range objs {
		if str(o["kind"]) == kind && str(get(o, "metadata", "name")) == name {
			return o
		}
	}
	return nil
}

func remove(objs []Object, o Object) []Object {
	out := objs[:0:0]
	for _, x := range objs {
		if fmt.Sprintf("%p", x) != fmt.Sprintf("%p", o) {
			out = append(out, x)
		}
	}
	return out
}

// get walks nested maps; nil when a step is missing.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// listMergeKeys are the strategic-merge keys of the lists these manifests patch; a list
// without one is replaced, as for custom resources.
func listMergeKey(field, parent string) string {
	switch field {
	case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets":
		return "name"
	case "volumeMounts":
		return "mountPath"
	case "ports":
		if parent == "containers" || parent == "initContainers" {
			return "containerPort"
		}
		return "port"
	}
	return ""
}

// strategicMerge merges patch into orig (neither is modified) with Kubernetes strategic
// merge semantics for the lists above and JSON merge semantics elsewhere.
func strategicMerge(orig, patch any, field string) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return deepCopy(patch)
	}
	om, ok := orig.(map[string]any)
	if !ok {
		om = map[string]any{}
	}
	out := deepCopy(om).(map[string]any)
	for k, pv := range pm {
		if pv == nil {
			delete(out, k)
			continue
		}
		ov, exists := out[k]
		pl, pIsList := pv.([]any)
		ol, oIsList := ov.([]any)
		key := listMergeKey(k, field)
		switch {
		case exists && pIsList && oIsList && key != "":
			// As Kubernetes' strategic merge orders it: the patch's items first, in patch
			// order (merged with the original item of the same key), then the original
			// items the patch does not name.
			var merged []any
			named := map[string]bool{}
			for _, item := range pl {
				im, ok := item.(map[string]any)
				if !ok {
					merged = append(merged, deepCopy(item))
					continue
				}
				id := fmt.Sprint(im[key])
				named[id] = true
				var orig any
				for _, o := range ol {
					if omap, ok := o.(map[string]any); ok && fmt.Sprint(omap[key]) == id {
						orig = omap
					}
				}
				if im["$patch"] == "delete" {
					continue
				}
				merged = append(merged, strategicMerge(orig, im, k))
			}
			for _, o := range ol {
				if omap, ok := o.(map[string]any); ok && named[fmt.Sprint(omap[key])] {
					continue
				}
				merged = append(merged, deepCopy(o))
			}
			out[k] = merged
		case exists:
			out[k] = strategicMerge(ov, pv, k)
		default:
			out[k] = strategicMerge(nil, pv, k)
		}
	}
	return out
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = deepCopy(x)
		}
		return l
	default:
		return v
	}
}

// applyJSON6902 applies one add, replace or remove operation.
func applyJSON6902(o Object, op any) error {
	m, ok := op.(map[string]any)
	if !ok {
		return errors.New("a JSON 6902 operation must be a map")
	}
	verb, p := str(m["op"]), str(m["path"])
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("path %q must start with /", p)
	}
	parts := strings.Split(p[1:], "/")
	for i := range parts {
		parts[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(parts[i])
	}
	var parent any = o
	for _, step := range parts[:len(parts)-1] {
		switch c := parent.(type) {
		case map[string]any:
			parent = c[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(c) {
				return fmt.Errorf("path %s: no element %s", p, step)
			}
			parent = c[i]
		default:
			return fmt.Errorf("path %s: %s does not exist", p, step)
		}
		if parent == nil {
			return fmt.Errorf("path %s: %s does not exist", p, step)
		}
	}
	last := parts[len(parts)-1]
	switch c := parent.(type) {
	case map[string]any:
		_, exists := c[last]
		switch verb {
		case "add":
			c[last] = deepCopy(m["value"])
		case "replace":
			if !exists {
				return fmt.Errorf("replace %s: nothing there", p)
			}
			c[last] = deepCopy(m["value"])
		case "remove":
			if !exists {
				return fmt.Errorf("remove %s: nothing there", p)
			}
			delete(c, last)
		default:
			return fmt.Errorf("op %q is not supported", verb)
		}
		return nil
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(c) || verb != "replace" {
			return fmt.Errorf("%s %s: only replacing an existing list element is supported", verb, p)
		}
		c[i] = deepCopy(m["value"])
		return nil
	}
	return fmt.Errorf("path %s: parent is not a map or list", p)
}

// podSpec returns the pod spec of a workload (Deployment, Job, …), or nil.
func podSpec(o Object) map[string]any {
	switch str(o["kind"]) {
	case "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet":
		s, _ := get(o, "spec", "template", "spec").(map[string]any)
		return s
	case "CronJob":
		s, _ := get(o, "spec", "jobTemplate", "spec", "template", "spec").(map[string]any)
		return s
	case "Pod":
		s, _ := o["spec"].(map[string]any)
		return s
	}
	return nil
}

// containersOf returns a workload's containers and init containers.
func containersOf(o Object) []map[string]any {
	spec := podSpec(o)
	var out []map[string]any
	for _, f := range []string{"initContainers", "containers"} {
		l, _ := spec[f].([]any)
		for _, c := range l {
			if m, ok := c.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// KustomizationDirs lists every directory under root holding a kustomization, sorted.
func KustomizationDirs(fsys fs.FS, root string) ([]string, error) {
	var dirs []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && KustomizationFile(fsys, p) != "" {
			dirs = append(dirs, p)
		}
		return nil
	})
	sort.Strings(dirs)
	return dirs, err
}

// KustomizationKind returns the kind of dir's kustomization ("Kustomization" or "Component").
func KustomizationKind(fsys fs.FS, dir string) string {
	var k kustomization
	if f := KustomizationFile(fsys, dir); f == "" || decodeYAMLFile(fsys, f, &k) != nil {
		return ""
	}
	if k.Kind == "" {
		return "Kustomization"
	}
	return k.Kind
}

package deploytest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// SecretsDir holds the placeholders of the Secrets (and the Kafka CA) that the manifests
// reference but that production creates outside them.
const SecretsDir = K8sDir + "/secrets"

// apiVersions are the kinds the manifests may use, with their API versions.
var apiVersions = map[string]string{
	"Namespace": "v1", "ServiceAccount": "v1", "ConfigMap": "v1", "Secret": "v1", "Service": "v1",
	"Deployment": "apps/v1", "Job": "batch/v1", "PodDisruptionBudget": "policy/v1",
	"HorizontalPodAutoscaler": "autoscaling/v2",
	"ScaledObject":            "keda.sh/v1alpha1", "TriggerAuthentication": "keda.sh/v1alpha1",
}

// minGraceSeconds is how long each long-running subcommand may need to stop cleanly: the
// matcher ends its open Kafka transaction (consumers.TransactConfig.TransactionTimeout, 60 s
// by default), the sink finishes a ClickHouse batch (30 s deadline per call), the gateway
// finishes its requests (gateway.DefaultShutdownTimeout, 30 s).
var minGraceSeconds = map[string]int{"matcher": 60, "sink": 30, "gateway": 30}

// requiredWorkloads are the subcommands every rendered kustomization must run.
var requiredWorkloads = []string{"matcher", "sink", "gateway", "topics"}

// CheckKustomizations renders every kustomization under deploy/k8s and checks the result.
func CheckKustomizations(r *Repo, im *Image) []error {
	dirs, err := KustomizationDirs(r.FS, K8sDir)
	if err != nil {
		return []error{err}
	}
	if len(dirs) == 0 {
		return []error{fmt.Errorf("%s: no kustomization", K8sDir)}
	}
	external, err := Kustomize(r.FS, SecretsDir)
	if err != nil {
		return []error{err}
	}
	var errs []error
	errs = append(errs, checkPlaceholders(SecretsDir, external)...)
	for _, dir := range dirs {
		if KustomizationKind(r.FS, dir) == "Component" || dir == SecretsDir {
			continue
		}
		objs, err := Kustomize(r.FS, dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, CheckObjects(r, im, dir, objs, external)...)
	}
	return errs
}

// checkPlaceholders fails on any Secret value that looks secret but is not a placeholder.
func checkPlaceholders(where string, objs []Object) []error {
	var errs []error
	secretKey := regexp.MustCompile(`(?i)password|passwd|secret|token|key|crt|cert|ca|credentials`)
	for _, o := range objs {
		if str(o["kind"]) != "Secret" {
			continue
		}
		name := str(get(o, "metadata", "name"))
		if data, _ := o["data"].(map[string]any); len(data) > 0 {
			errs = append(errs, fmt.Errorf("%s: Secret %s: use stringData placeholders, not data", where, name))
		}
		sd, _ := o["stringData"].(map[string]any)
		for k, v := range sd {
			s := scalar(v)
			if !secretKey.MatchString(k) || s == "" || strings.Contains(s, "CHANGE_ME") {
				continue
			}
			if k == "credentials.yaml" && !strings.Contains(s, "key_sha256") {
				continue // clients without keys
			}
			errs = append(errs, fmt.Errorf("%s: Secret %s: %s holds a value, not a placeholder (\"\" or CHANGE_ME)", where, name, k))
		}
	}
	return errs
}

// rendered indexes a rendered kustomization.
type rendered struct {
	objs     []Object
	external []Object
}

func (rd rendered) find(kind, name string) Object {
	if o := find(rd.objs, kind, name); o != nil {
		return o
	}
	return find(rd.external, kind, name)
}

// keysOf returns the data keys of a ConfigMap or Secret.
func keysOf(o Object) map[string]string {
	out := map[string]string{}
	for _, f := range []string{"data", "stringData"} {
		m, _ := o[f].(map[string]any)
		for k, v := range m {
			out[k] = scalar(v)
		}
	}
	return out
}

// CheckObjects checks one rendered kustomization (dir names it in messages). external are the
// objects created outside it (the placeholders of deploy/k8s/secrets).
func CheckObjects(r *Repo, im *Image, dir string, objs, external []Object) []error {
	var errs []error
	rd := rendered{objs: objs, external: external}
	fail := func(o Object, format string, a ...any) {
		id := str(o["kind"]) + " " + str(get(o, "metadata", "name"))
		errs = append(errs, fmt.Errorf("%s: %s: "+format, append([]any{dir, id}, a...)...))
	}
	namespace := ""
	for _, o := range objs {
		if str(o["kind"]) == "Namespace" {
			namespace = str(get(o, "metadata", "name"))
		}
	}
	running := map[string]bool{}
	for _, o := range objs {
		kind := str(o["kind"])
		if want, ok := apiVersions[kind]; !ok {
			fail(o, "kind %s is not one the manifests are checked for", kind)
		} else if got := str(o["apiVersion"]); got != want {
			fail(o, "apiVersion %s, want %s", got, want)
		}
		if ns := str(get(o, "metadata", "namespace")); kind != "Namespace" && (ns != namespace || ns == "") {
			fail(o, "namespace %q, but the kustomization's Namespace is %q (set namespace: in the kustomization)", ns, namespace)
		}
		if podSpec(o) != nil {
			errs = append(errs, checkWorkload(r, im, dir, rd, o, running)...)
		}
		switch kind {
		case "ScaledObject":
			errs = append(errs, checkScaledObject(r, dir, rd, o)...)
		case "PodDisruptionBudget":
			sel, _ := get(o, "spec", "selector", "matchLabels").(map[string]any)
			if len(selects(objs, sel)) == 0 {
				fail(o, "selector %v matches no Deployment's pods", sel)
			}
		case "Service":
			sel, _ := get(o, "spec", "selector").(map[string]any)
			targets := selects(objs, sel)
			if len(targets) == 0 {
				fail(o, "selector %v matches no Deployment's pods", sel)
			}
			ports, _ := get(o, "spec", "ports").([]any)
			for _, p := range ports {
				tp := scalar(get(p, "targetPort"))
				for _, t := range targets {
					if containerPort(t, tp) == 0 {
						fail(o, "targetPort %s is not a container port of %s", tp, str(get(t, "metadata", "name")))
					}
				}
			}
		case "HorizontalPodAutoscaler":
			target := str(get(o, "spec", "scaleTargetRef", "name"))
			for _, so := range objs {
				if str(so["kind"]) == "ScaledObject" && str(get(so, "spec", "scaleTargetRef", "name")) == target {
					fail(o, "scales %s, which ScaledObject %s scales already (KEDA creates its own HPA)", target, str(get(so, "metadata", "name")))
				}
			}
		case "TriggerAuthentication":
			refs, _ := get(o, "spec", "secretTargetRef").([]any)
			for _, ref := range refs {
				name, key := str(get(ref, "name")), str(get(ref, "key"))
				s := rd.find("Secret", name)
				if s == nil {
					fail(o, "Secret %s does not exist here or in %s", name, SecretsDir)
				} else if _, ok := keysOf(s)[key]; !ok {
					fail(o, "Secret %s has no key %s", name, key)
				}
			}
		}
	}
	errs = append(errs, checkPlaceholders(dir, objs)...)
	for _, c := range requiredWorkloads {
		if !running[c] {
			errs = append(errs, fmt.Errorf("%s: no workload runs `watchpost %s`", dir, c))
		}
	}
	return errs
}

// selects returns the Deployments whose pod labels match sel.
func selects(objs []Object, sel map[string]any) []Object {
	var out []Object
	if len(sel) == 0 {
		return nil
	}
	for _, o := range objs {
		if str(o["kind"]) != "Deployment" {
			continue
		}
		labels, _ := get(o, "spec", "template", "metadata", "labels").(map[string]any)
		ok := true
		for k, v := range sel {
			ok = ok && scalar(labels[k]) == scalar(v)
		}
		if ok {
			out = append(out, o)
		}
	}
	return out
}

// containerPort resolves a port name or number against a workload's container ports; 0 when
// none matches.
func containerPort(o Object, port string) int {
	for _, c := range containersOf(o) {
		ports, _ := c["ports"].([]any)
		for _, p := range ports {
			n, _ := strconv.Atoi(scalar(get(p, "containerPort")))
			if scalar(get(p, "name")) == port || strconv.Itoa(n) == port {
				return n
			}
		}
	}
	return 0
}

// containerEnv resolves a container's environment: explicit values and the keys of its
// envFrom ConfigMaps and Secrets (value "" for those from Secrets and valueFrom).
func containerEnv(rd rendered, c map[string]any) (map[string]string, []error) {
	env := map[string]string{}
	var errs []error
	from, _ := c["envFrom"].([]any)
	for _, f := range from {
		for kind, field := range map[string]string{"ConfigMap": "configMapRef", "Secret": "secretRef"} {
			name := str(get(f, field, "name"))
			if name == "" {
				continue
			}
			o := rd.find(kind, name)
			if o == nil {
				errs = append(errs, fmt.Errorf("envFrom %s %s does not exist", kind, name))
				continue
			}
			for k, v := range keysOf(o) {
				if kind == "Secret" {
					v = ""
				}
				env[k] = v
			}
		}
	}
	list, _ := c["env"].([]any)
	for _, e := range list {
		name := str(get(e, "name"))
		env[name] = scalar(get(e, "value"))
		for kind, field := range map[string]string{"ConfigMap": "configMapKeyRef", "Secret": "secretKeyRef"} {
			ref := get(e, "valueFrom", field)
			if ref == nil {
				continue
			}
			o := rd.find(kind, str(get(ref, "name")))
			if o == nil {
				errs = append(errs, fmt.Errorf("env %s: %s %s does not exist", name, kind, str(get(ref, "name"))))
			} else if v, ok := keysOf(o)[str(get(ref, "key"))]; !ok {
				errs = append(errs, fmt.Errorf("env %s: %s %s has no key %s", name, kind, str(get(ref, "name")), str(get(ref, "key"))))
			} else if kind == "ConfigMap" {
				env[name] = v
			}
		}
	}
	return env, errs
}

var quantity = regexp.MustCompile(`^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|KiB|MiB|GiB|TiB|B)?$`)

// bytesOf parses a Kubernetes memory quantity or a GOMEMLIMIT value.
func bytesOf(s string) (float64, error) {
	m := quantity.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a memory quantity", s)
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"": 1, "B": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
		"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40,
		"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[m[2]]
	return n * mult, nil
}

// checkWorkload checks a Deployment or Job running watchpost.
func checkWorkload(r *Repo, im *Image, dir string, rd rendered, o Object, running map[string]bool) []error {
	var errs []error
	kind, name := str(o["kind"]), str(get(o, "metadata", "name"))
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s %s: "+format, append([]any{dir, kind, name}, a...)...))
	}
	spec := podSpec(o)
	if kind == "Deployment" {
		sel, _ := get(o, "spec", "selector", "matchLabels").(map[string]any)
		if len(sel) == 0 || len(selects([]Object{o}, sel)) == 0 {
			fail("selector %v does not match the pod template's labels", sel)
		}
	}
	if get(spec, "securityContext", "runAsNonRoot") != true {
		fail("pods must set securityContext.runAsNonRoot")
	}
	if uid := scalar(get(spec, "securityContext", "runAsUser")); uid != "" && im != nil {
		if u, _, _ := strings.Cut(im.User, ":"); u != uid {
			fail("runAsUser %s, but the image runs as %s (deploy/docker/Dockerfile)", uid, u)
		}
	}
	volumes := map[string]any{}
	vl, _ := spec["volumes"].([]any)
	for _, v := range vl {
		volumes[str(get(v, "name"))] = v
	}
	for _, c := range containersOf(o) {
		cname := str(c["name"])
		cfail := func(format string, a ...any) { fail("container %s: "+format, append([]any{cname}, a...)...) }
		img := str(c["image"])
		if n, tag := splitImage(img); n == "" || tag == "" || tag == "latest" {
			cfail("image %q must carry a version tag", img)
		}
		if cmd, ok := c["command"].([]any); ok && (im == nil || len(cmd) == 0 || scalar(cmd[0]) != im.Entrypoint[0]) {
			cfail("command %v overrides the image's ENTRYPOINT", cmd)
		}
		args, _ := c["args"].([]any)
		inv, err := r.ParseArgs(toStrings(args))
		if err != nil {
			cfail("args: %v", err)
			continue
		}
		running[inv.Command.Name] = true
		env, eerrs := containerEnv(rd, c)
		for _, e := range eerrs {
			cfail("%v", e)
		}
		names := make([]string, 0, len(env))
		for n := range env {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, e := range r.CheckEnv(inv.Command, names) {
			cfail("%v", e)
		}
		if u := env["WATCHPOST_SASL_USER"]; u != "" && kind == "Deployment" && !r.Principals[u] {
			cfail("SASL user %q is not a principal of %s", u, ACLsPath)
		}
		// Files named by flags or variables must be in the image or mounted.
		var files []string
		for _, v := range env {
			if strings.HasPrefix(v, "/") {
				files = append(files, v)
			}
		}
		for _, v := range inv.Flags {
			if strings.HasPrefix(v, "/") {
				files = append(files, v)
			}
		}
		sort.Strings(files)
		for _, f := range files {
			if err := fileProvided(rd, im, c, volumes, f); err != nil {
				cfail("%v", err)
			}
		}
		res := func(k ...string) string { return scalar(get(c, append([]string{"resources"}, k...)...)) }
		if res("requests", "cpu") == "" || res("requests", "memory") == "" || res("limits", "memory") == "" {
			cfail("resources need requests.cpu, requests.memory and limits.memory")
		}
		if gml := env["GOMEMLIMIT"]; gml != "" {
			lim, err1 := bytesOf(res("limits", "memory"))
			g, err2 := bytesOf(gml)
			switch {
			case err1 != nil || err2 != nil:
				cfail("GOMEMLIMIT %q or limits.memory %q does not parse", gml, res("limits", "memory"))
			case g >= lim:
				cfail("GOMEMLIMIT %s is not below limits.memory %s: the kernel kills before the collector works harder", gml, res("limits", "memory"))
			case g < 0.5*lim:
				cfail("GOMEMLIMIT %s is less than half of limits.memory %s", gml, res("limits", "memory"))
			}
		} else if inv.Command.Name == "matcher" {
			cfail("set GOMEMLIMIT below the memory limit: the matcher's heap is its watchlist indexes")
		}
		sc := func(k string) any { return get(c, "securityContext", k) }
		if sc("readOnlyRootFilesystem") != true || sc("allowPrivilegeEscalation") != false {
			cfail("securityContext needs readOnlyRootFilesystem: true and allowPrivilegeEscalation: false")
		}
		if kind != "Deployment" {
			continue
		}
		// A long-running service: probes and scraping on the metrics port.
		metrics := r.MetricsPort
		if a := inv.Flags["metrics-addr"]; a != "" {
			metrics, _ = portOf(a)
		} else if a := env["WATCHPOST_METRICS_ADDR"]; a != "" {
			if metrics, err = portOf(a); err != nil {
				cfail("WATCHPOST_METRICS_ADDR %q: %v", a, err)
			}
		}
		if listen := listenAddr(inv, env); listen != "" {
			port, err := portOf(listen)
			switch {
			case err != nil:
				cfail("listen address %q: %v", listen, err)
			case containerPort(o, strconv.Itoa(port)) == 0:
				cfail("listens on %d, which is not a container port", port)
			case im != nil && !im.Exposed[port]:
				cfail("listens on %d, which the image does not EXPOSE", port)
			}
		}
		if containerPort(o, "metrics") != metrics {
			cfail("needs a container port named metrics on %d (where watchpost serves /metrics, /healthz, /readyz)", metrics)
		}
		for probe, want := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
			p := get(c, probe, "httpGet")
			if p == nil {
				cfail("no %s (httpGet %s on the metrics port)", probe, want)
				continue
			}
			if got := str(get(p, "path")); got != want {
				cfail("%s path %s, want %s", probe, got, want)
			}
			if port := containerPort(o, scalar(get(p, "port"))); port != metrics {
				cfail("%s port %v is not the metrics port %d", probe, get(p, "port"), metrics)
			}
		}
		if p := get(c, "startupProbe", "httpGet"); p != nil {
			if containerPort(o, scalar(get(p, "port"))) != metrics || (str(get(p, "path")) != "/healthz" && str(get(p, "path")) != "/readyz") {
				cfail("startupProbe must GET /healthz or /readyz on the metrics port")
			}
		}
		ann, _ := get(o, "spec", "template", "metadata", "annotations").(map[string]any)
		if scalar(ann["prometheus.io/scrape"]) != "true" || scalar(ann["prometheus.io/port"]) != strconv.Itoa(metrics) || scalar(ann["prometheus.io/path"]) != "/metrics" {
			cfail("pod annotations must be prometheus.io/scrape \"true\", prometheus.io/port %q, prometheus.io/path /metrics", strconv.Itoa(metrics))
		}
		if min, ok := minGraceSeconds[inv.Command.Name]; ok {
			grace := 30
			if g := scalar(spec["terminationGracePeriodSeconds"]); g != "" {
				grace, _ = strconv.Atoi(g)
			}
			if s := scalar(get(c, "lifecycle", "preStop", "sleep", "seconds")); s != "" {
				n, _ := strconv.Atoi(s)
				min += n
			}
			if grace < min {
				cfail("terminationGracePeriodSeconds %d is shorter than the %d s `watchpost %s` needs to drain", grace, min, inv.Command.Name)
			}
		}
	}
	return errs
}

// fileProvided checks that a container can read file: from a mounted ConfigMap or Secret
// (with that key), or from the image.
func fileProvided(rd rendered, im *Image, c map[string]any, volumes map[string]any, file string) error {
	mounts, _ := c["volumeMounts"].([]any)
	for _, m := range mounts {
		mp := strings.TrimSuffix(str(get(m, "mountPath")), "/")
		if file == mp { // a mounted directory (a state directory on an emptyDir)
			if volumes[str(get(m, "name"))] == nil {
				return fmt.Errorf("%s: volume %s is not declared", file, str(get(m, "name")))
			}
			return nil
		}
		rel, ok := strings.CutPrefix(file, mp+"/")
		if !ok {
			continue
		}
		v := volumes[str(get(m, "name"))]
		if v == nil {
			return fmt.Errorf("%s: volume %s is not declared", file, str(get(m, "name")))
		}
		var src Object
		kind, name := "", ""
		switch {
		case get(v, "secret") != nil:
			kind, name = "Secret", str(get(v, "secret", "secretName"))
		case get(v, "configMap") != nil:
			kind, name = "ConfigMap", str(get(v, "configMap", "name"))
		default:
			return nil // emptyDir and the like: written at run time
		}
		if src = rd.find(kind, name); src == nil {
			return fmt.Errorf("%s: %s %s does not exist here or in %s", file, kind, name, SecretsDir)
		}
		key := rel
		if items, ok := get(v, strings.ToLower(kind[:1])+kind[1:], "items").([]any); ok {
			key = ""
			for _, it := range items {
				if str(get(it, "path")) == rel {
					key = str(get(it, "key"))
				}
			}
		}
		if _, ok := keysOf(src)[key]; !ok || key == "" {
			return fmt.Errorf("%s: %s %s has no key for %s", file, kind, name, rel)
		}
		return nil
	}
	if im != nil && im.Has(file) {
		return nil
	}
	return fmt.Errorf("%s is neither mounted nor in the image", file)
}

// checkScaledObject checks the KEDA ScaledObject of the matchers.
func checkScaledObject(r *Repo, dir string, rd rendered, o Object) []error {
	var errs []error
	name := str(get(o, "metadata", "name"))
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: ScaledObject %s: "+format, append([]any{dir, name}, a...)...))
	}
	tkind := str(get(o, "spec", "scaleTargetRef", "kind"))
	if tkind == "" {
		tkind = "Deployment"
	}
	target := find(rd.objs, tkind, str(get(o, "spec", "scaleTargetRef", "name")))
	if target == nil {
		fail("scaleTargetRef %s %s does not exist", tkind, str(get(o, "spec", "scaleTargetRef", "name")))
		return errs
	}
	if _, ok := get(target, "spec").(map[string]any)["replicas"]; ok {
		fail("%s sets spec.replicas: every apply would reset what KEDA chose", str(get(target, "metadata", "name")))
	}
	var inv *Invocation
	var env map[string]string
	for _, c := range containersOf(target) {
		args, _ := c["args"].([]any)
		if i, err := r.ParseArgs(toStrings(args)); err == nil && i.Command.Name == "matcher" {
			inv = i
			env, _ = containerEnv(rd, c)
		}
	}
	if inv == nil {
		fail("its target does not run `watchpost matcher`")
		return errs
	}
	group := inv.Flags["group"]
	if group == "" && inv.Command.Flags["group"] != nil {
		group = inv.Command.Flags["group"].Default
	}
	minR, _ := strconv.Atoi(scalar(get(o, "spec", "minReplicaCount")))
	maxR, err := strconv.Atoi(scalar(get(o, "spec", "maxReplicaCount")))
	switch {
	case err != nil:
		fail("maxReplicaCount must be set")
	case minR < 1:
		fail("minReplicaCount %d: keep at least one matcher (a cold start replays every watchlist)", minR)
	case minR > maxR:
		fail("minReplicaCount %d > maxReplicaCount %d", minR, maxR)
	}
	triggers, _ := get(o, "spec", "triggers").([]any)
	manifests := r.Topics.Name("manifests")
	sawManifests := false
	for i, t := range triggers {
		if str(get(t, "type")) != "kafka" {
			fail("triggers[%d]: type %q, want kafka (scale on consumer lag)", i, str(get(t, "type")))
			continue
		}
		md := func(k string) string { return scalar(get(t, "metadata", k)) }
		topic := r.Topic(md("topic"))
		switch {
		case topic == nil:
			fail("triggers[%d]: topic %q is not declared in %s", i, md("topic"), TopicsPath)
		case maxR > int(topic.Partitions):
			fail("maxReplicaCount %d exceeds the %d partitions of %s (%s): the extra matchers would sit idle", maxR, topic.Partitions, topic.Name, TopicsPath)
		}
		if md("topic") == manifests {
			sawManifests = true
		}
		if md("consumerGroup") != group {
			fail("triggers[%d]: consumerGroup %q, but the matcher consumes in group %q", i, md("consumerGroup"), group)
		}
		if n, err := strconv.Atoi(md("lagThreshold")); err != nil || n < 1 {
			fail("triggers[%d]: lagThreshold %q must be a positive integer", i, md("lagThreshold"))
		}
		if md("allowIdleConsumers") == "true" {
			fail("triggers[%d]: allowIdleConsumers would scale past the partition count", i)
		}
		if md("bootstrapServers") != env["WATCHPOST_BROKERS"] {
			fail("triggers[%d]: bootstrapServers %q, but the matchers use WATCHPOST_BROKERS %q", i, md("bootstrapServers"), env["WATCHPOST_BROKERS"])
		}
		if ref := str(get(t, "authenticationRef", "name")); ref != "" && find(rd.objs, "TriggerAuthentication", ref) == nil {
			fail("triggers[%d]: TriggerAuthentication %s does not exist", i, ref)
		}
		if env["WATCHPOST_SASL_MECHANISM"] != "" && get(t, "authenticationRef") == nil {
			fail("triggers[%d]: the matchers authenticate to Kafka (WATCHPOST_SASL_MECHANISM), KEDA must too (authenticationRef)", i)
		}
	}
	if !sawManifests {
		fail("no kafka trigger on the manifests topic %s", manifests)
	}
	if p := r.inputPartitions(); maxR > p {
		fail("maxReplicaCount %d exceeds the %d partitions of the matcher's input topics", maxR, p)
	}
	return errs
}

// listenAddr is the service address a subcommand listens on besides the metrics address (the
// gateway's --listen), "" when it has none or leaves the default.
func listenAddr(inv *Invocation, env map[string]string) string {
	if a := inv.Flags["listen"]; a != "" {
		return a
	}
	if inv.Command.Flags["listen"] != nil {
		return env["WATCHPOST_GATEWAY_LISTEN"]
	}
	return ""
}

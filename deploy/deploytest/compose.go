package deploytest

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// composeVar matches compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, $NAME.
var composeVar = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// Interpolate replaces compose variables by their defaults, as `docker compose` does when
// they are unset; $$ is a literal $.
func Interpolate(s string) string {
	return composeVar.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		sm := composeVar.FindStringSubmatch(m)
		return sm[2]
	})
}

// ComposeService is the part of a compose service the checks read.
type ComposeService struct {
	Name        string
	Image       string
	Build       map[string]any
	Command     []string
	Environment map[string]string
	DependsOn   map[string]string // service -> condition
	Healthcheck []string          // test, [] when none
	Restart     string
	Replicas    int
	Ports       []string
	Volumes     []string
	Profiles    []string
	Hostname    string
}

// ParseCompose reads a compose file into its services, with variables interpolated.
func ParseCompose(b []byte) (map[string]*ComposeService, error) {
	var doc struct {
		Services map[string]map[string]any `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(Interpolate(string(b))), &doc); err != nil {
		return nil, err
	}
	if len(doc.Services) == 0 {
		return nil, fmt.Errorf("no services")
	}
	out := map[string]*ComposeService{}
	for name, raw := range doc.Services {
		s := &ComposeService{Name: name, Environment: map[string]string{}, DependsOn: map[string]string{}, Replicas: 1}
		s.Image, _ = raw["image"].(string)
		s.Hostname, _ = raw["hostname"].(string)
		s.Restart, _ = raw["restart"].(string)
		switch b := raw["build"].(type) {
		case string:
			s.Build = map[string]any{"context": b}
		case map[string]any:
			s.Build = b
		}
		switch c := raw["command"].(type) {
		case string:
			s.Command = strings.Fields(c)
		case []any:
			s.Command = toStrings(c)
		}
		switch e := raw["environment"].(type) {
		case map[string]any:
			for k, v := range e {
				s.Environment[k] = scalar(v)
			}
		case []any:
			for _, kv := range toStrings(e) {
				k, v, _ := strings.Cut(kv, "=")
				s.Environment[k] = v
			}
		}
		switch d := raw["depends_on"].(type) {
		case []any:
			for _, t := range toStrings(d) {
				s.DependsOn[t] = "service_started"
			}
		case map[string]any:
			for t, v := range d {
				cond := "service_started"
				if m, ok := v.(map[string]any); ok {
					if c, ok := m["condition"].(string); ok {
						cond = c
					}
				}
				s.DependsOn[t] = cond
			}
		}
		if hc, ok := raw["healthcheck"].(map[string]any); ok {
			if dis, _ := hc["disable"].(bool); !dis {
				switch t := hc["test"].(type) {
				case []any:
					s.Healthcheck = toStrings(t)
				case string:
					s.Healthcheck = []string{"CMD-SHELL", t}
				}
			}
		}
		if dep, ok := raw["deploy"].(map[string]any); ok {
			if n, ok := dep["replicas"].(int); ok {
				s.Replicas = n
			}
		}
		if p, ok := raw["ports"].([]any); ok {
			s.Ports = toStrings(p)
		}
		if v, ok := raw["volumes"].([]any); ok {
			s.Volumes = toStrings(v)
		}
		if p, ok := raw["profiles"].([]any); ok {
			s.Profiles = toStrings(p)
		}
		out[name] = s
	}
	return out, nil
}

func toStrings(a []any) []string {
	out := make([]string, 0, len(a))
	for _, v := range a {
		out = append(out, scalar(v))
	}
	return out
}

func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

var composeConditions = map[string]bool{"service_started": true, "service_healthy": true, "service_completed_successfully": true}

// CheckCompose checks deploy/compose/compose.yaml. im is the image the Dockerfile builds.
func CheckCompose(r *Repo, im *Image) []error {
	b, err := fs.ReadFile(r.FS, ComposePath)
	if err != nil {
		return []error{err}
	}
	svcs, err := ParseCompose(b)
	if err != nil {
		return []error{fmt.Errorf("%s: %w", ComposePath, err)}
	}
	dir := path.Dir(ComposePath)
	var errs []error
	fail := func(s *ComposeService, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: service %s: "+format, append([]any{ComposePath, s.Name}, a...)...))
	}
	names := make([]string, 0, len(svcs))
	for n := range svcs {
		names = append(names, n)
	}
	sort.Strings(names)
	byHost := func(host string) *ComposeService {
		if s := svcs[host]; s != nil {
			return s
		}
		for _, s := range svcs {
			if s.Hostname == host {
				return s
			}
		}
		return nil
	}
	for _, n := range names {
		s := svcs[n]
		watchpost := false
		switch {
		case s.Build != nil:
			ctx, _ := s.Build["context"].(string)
			df, _ := s.Build["dockerfile"].(string)
			if df == "" {
				df = "Dockerfile"
			}
			ctxPath := path.Join(dir, ctx)
			if _, err := fs.Stat(r.FS, path.Join(ctxPath, "go.mod")); err != nil && df == DockerfilePath {
				fail(s, "build context %s is not the repository root (no go.mod)", ctx)
			}
			if _, err := fs.Stat(r.FS, path.Join(ctxPath, df)); err != nil {
				fail(s, "build: dockerfile %s does not exist in context %s", df, ctx)
			}
			watchpost = path.Join(ctxPath, df) == DockerfilePath
		case s.Image == "":
			fail(s, "neither image nor build")
		default:
			if _, tag, ok := strings.Cut(path.Base(s.Image), ":"); !ok || tag == "" || tag == "latest" {
				fail(s, "image %s is not pinned to a version tag", s.Image)
			}
		}
		for t, cond := range s.DependsOn {
			target := svcs[t]
			switch {
			case target == nil:
				fail(s, "depends_on %s: no such service", t)
				continue
			case !composeConditions[cond]:
				fail(s, "depends_on %s: unknown condition %q", t, cond)
			case cond == "service_healthy" && len(target.Healthcheck) == 0:
				fail(s, "depends_on %s: service_healthy, but %s has no healthcheck", t, t)
			case cond == "service_completed_successfully" && target.Restart != "no":
				fail(s, "depends_on %s: service_completed_successfully, but %s restarts (restart %q)", t, t, target.Restart)
			}
			if len(target.Profiles) > 0 && len(s.Profiles) == 0 {
				fail(s, "depends_on %s, which runs only with profile %v", t, target.Profiles)
			}
		}
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if strings.HasPrefix(src, ".") {
				if _, err := fs.Stat(r.FS, path.Join(dir, src)); err != nil {
					fail(s, "volume source %s does not exist", src)
				}
			}
		}
		if watchpost {
			errs = append(errs, checkComposeWatchpost(r, im, s, byHost)...)
		}
	}
	errs = append(errs, composeCycles(svcs)...)
	for _, n := range names {
		s := svcs[n]
		switch imageName(s.Image) {
		case "apache/kafka":
			errs = append(errs, checkComposeKafka(s)...)
		case "confluentinc/cp-schema-registry":
			if err := listensOnKafka(s.Environment["SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"], byHost); err != nil {
				fail(s, "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: %v", err)
			}
		case "grafana/grafana", "grafana/grafana-oss", "grafana/grafana-enterprise":
			errs = append(errs, checkComposeGrafana(r, s, byHost)...)
		}
	}
	return errs
}

func imageName(image string) string {
	name, _, _ := strings.Cut(image, ":")
	return strings.TrimPrefix(name, "docker.io/")
}

// checkComposeWatchpost checks a service built from the watchpost Dockerfile.
func checkComposeWatchpost(r *Repo, im *Image, s *ComposeService, byHost func(string) *ComposeService) []error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: service %s: "+format, append([]any{ComposePath, s.Name}, a...)...))
	}
	inv, err := r.ParseArgs(s.Command)
	if err != nil {
		fail("command: %v", err)
		return errs
	}
	var env []string
	for k := range s.Environment {
		env = append(env, k)
	}
	sort.Strings(env)
	for _, e := range r.CheckEnv(inv.Command, env) {
		fail("%v", e)
	}
	metrics := r.MetricsPort
	addr := s.Environment["WATCHPOST_METRICS_ADDR"]
	if a := inv.Flags["metrics-addr"]; a != "" {
		addr = a
	}
	if addr != "" {
		if metrics, err = portOf(addr); err != nil {
			fail("metrics address %q: %v", addr, err)
		}
	}
	if s.Restart != "no" {
		want := fmt.Sprintf("http://127.0.0.1:%d/readyz", metrics)
		probe := ""
		if im != nil {
			probe = im.ProbePath()
		}
		hc := s.Healthcheck
		switch {
		case len(hc) != 3 || hc[0] != "CMD":
			fail("a long-running service needs healthcheck [\"CMD\", %q, %q], got %q", probe, want, hc)
		case hc[1] != probe:
			fail("healthcheck runs %s, but the image has the probe at %q", hc[1], probe)
		case hc[2] != want:
			fail("healthcheck probes %s, want %s (readiness on the metrics port)", hc[2], want)
		}
	}
	if listen := listenAddr(inv, s.Environment); listen != "" {
		if port, err := portOf(listen); err != nil || im == nil || !im.Exposed[port] {
			fail("listens on %q, which the image does not EXPOSE", listen)
		}
	}
	// Files named by variables or flags must be mounted or in the image.
	var files []string
	for _, v := range s.Environment {
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
		provided := im != nil && im.Has(f)
		for _, v := range s.Volumes {
			parts := strings.Split(v, ":")
			target := parts[0] // an anonymous volume names only its container path
			if len(parts) >= 2 {
				target = parts[1]
			}
			if strings.HasPrefix(target, "/") && (target == f || strings.HasPrefix(f, strings.TrimSuffix(target, "/")+"/")) {
				provided = true
			}
		}
		if !provided {
			fail("%s is neither mounted nor in the image", f)
		}
	}
	for _, p := range s.Ports {
		parts := strings.Split(strings.TrimSuffix(p, "/tcp"), ":")
		n, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil || im == nil || !im.Exposed[n] {
			fail("publishes container port %s, which the image does not EXPOSE", parts[len(parts)-1])
		}
	}
	if b := s.Environment["WATCHPOST_BROKERS"]; b != "" {
		if err := listensOnKafka(b, byHost); err != nil {
			fail("WATCHPOST_BROKERS: %v", err)
		}
	}
	if reg := s.Environment["WATCHPOST_REGISTRY"]; reg != "" {
		u, err := url.Parse(reg)
		target := (*ComposeService)(nil)
		if err == nil {
			target = byHost(u.Hostname())
		}
		switch {
		case target == nil:
			fail("WATCHPOST_REGISTRY %s: no such service", reg)
		case target.Environment["SCHEMA_REGISTRY_LISTENERS"] == "":
			fail("WATCHPOST_REGISTRY %s: %s is not a schema registry (no SCHEMA_REGISTRY_LISTENERS)", reg, target.Name)
		default:
			lu, err := url.Parse(strings.Split(target.Environment["SCHEMA_REGISTRY_LISTENERS"], ",")[0])
			if err != nil || lu.Port() != u.Port() {
				fail("WATCHPOST_REGISTRY %s: the registry listens on %s", reg, target.Environment["SCHEMA_REGISTRY_LISTENERS"])
			}
		}
	}
	if ch := s.Environment["WATCHPOST_CLICKHOUSE"]; ch != "" {
		host, port, err := splitHostPort(ch)
		target := byHost(host)
		switch {
		case err != nil:
			fail("WATCHPOST_CLICKHOUSE %s: %v", ch, err)
		case target == nil || imageName(target.Image) != "clickhouse/clickhouse-server":
			fail("WATCHPOST_CLICKHOUSE %s: no ClickHouse service %s", ch, host)
		case port != 9000:
			fail("WATCHPOST_CLICKHOUSE %s: ClickHouse speaks the native protocol on 9000, not %d", ch, port)
		default:
			for we, ce := range map[string]string{"WATCHPOST_CLICKHOUSE_USER": "CLICKHOUSE_USER", "WATCHPOST_CLICKHOUSE_PASSWORD": "CLICKHOUSE_PASSWORD", "WATCHPOST_CLICKHOUSE_DB": "CLICKHOUSE_DB"} {
				if v, ok := s.Environment[we]; ok && v != target.Environment[ce] {
					fail("%s does not match %s's %s", we, target.Name, ce)
				}
			}
		}
	}
	if inv.Command.Name == "matcher" {
		if max := r.inputPartitions(); s.Replicas > max {
			fail("%d matcher replicas, but the input topics have %d partitions: the others would sit idle", s.Replicas, max)
		}
	}
	return errs
}

// inputPartitions is the partition count of the matcher's inputs (the smallest of them).
func (r *Repo) inputPartitions() int {
	n := 0
	for _, t := range r.Topics {
		if t.Role == "manifests" || t.Role == "crossings" {
			if n == 0 || int(t.Partitions) < n {
				n = int(t.Partitions)
			}
		}
	}
	return n
}

func splitHostPort(hp string) (string, int, error) {
	i := strings.LastIndex(hp, ":")
	if i < 0 {
		return "", 0, fmt.Errorf("%q is not host:port", hp)
	}
	port, err := strconv.Atoi(hp[i+1:])
	if err != nil {
		return "", 0, fmt.Errorf("%q is not host:port", hp)
	}
	return hp[:i], port, nil
}

// listensOnKafka checks that every host:port of a broker list is advertised by a Kafka
// service.
func listensOnKafka(list string, byHost func(string) *ComposeService) error {
	for _, b := range strings.Split(list, ",") {
		b = strings.TrimSpace(b)
		if _, rest, ok := strings.Cut(b, "://"); ok {
			b = rest
		}
		host, _, err := splitHostPort(b)
		if err != nil {
			return err
		}
		k := byHost(host)
		if k == nil {
			return fmt.Errorf("%s: no such service", b)
		}
		found := false
		for _, l := range strings.Split(k.Environment["KAFKA_ADVERTISED_LISTENERS"], ",") {
			if _, hp, ok := strings.Cut(strings.TrimSpace(l), "://"); ok && hp == b {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s is not among %s's advertised listeners (%s)", b, k.Name, k.Environment["KAFKA_ADVERTISED_LISTENERS"])
		}
	}
	return nil
}

// checkComposeKafka checks a single-node KRaft broker's settings.
func checkComposeKafka(s *ComposeService) []error {
	var errs []error
	e := s.Environment
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: service %s: "+format, append([]any{ComposePath, s.Name}, a...)...))
	}
	roles := map[string]bool{}
	for _, r := range strings.Split(e["KAFKA_PROCESS_ROLES"], ",") {
		roles[strings.TrimSpace(r)] = true
	}
	if !roles["broker"] || !roles["controller"] {
		fail("KAFKA_PROCESS_ROLES %q: a single KRaft node is broker and controller", e["KAFKA_PROCESS_ROLES"])
	}
	listeners := listenerPorts(e["KAFKA_LISTENERS"])
	protocols := map[string]bool{}
	for _, m := range strings.Split(e["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"], ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(m), ":")
		protocols[name] = true
	}
	for name := range listeners {
		if !protocols[name] {
			fail("listener %s has no entry in KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", name)
		}
	}
	ctrl := e["KAFKA_CONTROLLER_LISTENER_NAMES"]
	if _, ok := listeners[ctrl]; !ok {
		fail("KAFKA_CONTROLLER_LISTENER_NAMES %q is not in KAFKA_LISTENERS", ctrl)
	}
	voters := strings.Split(e["KAFKA_CONTROLLER_QUORUM_VOTERS"], ",")
	if len(voters) != 1 {
		fail("KAFKA_CONTROLLER_QUORUM_VOTERS %q: one voter expected for one node", e["KAFKA_CONTROLLER_QUORUM_VOTERS"])
	} else {
		id, hp, _ := strings.Cut(voters[0], "@")
		_, port, err := splitHostPort(hp)
		if id != e["KAFKA_NODE_ID"] || err != nil || port != listeners[ctrl] {
			fail("KAFKA_CONTROLLER_QUORUM_VOTERS %q must be KAFKA_NODE_ID@host:<controller listener port %d>", voters[0], listeners[ctrl])
		}
	}
	for name, port := range listenerPorts(e["KAFKA_ADVERTISED_LISTENERS"]) {
		if lp, ok := listeners[name]; !ok || lp != port {
			fail("advertised listener %s:%d does not match KAFKA_LISTENERS", name, port)
		}
		if name == ctrl {
			fail("the controller listener must not be advertised")
		}
	}
	for _, k := range []string{"KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"} {
		if e[k] != "1" {
			fail("%s must be 1 on a single broker (transactions and consumer groups fail otherwise), got %q", k, e[k])
		}
	}
	return errs
}

// listenerPorts maps listener names to ports: "PLAINTEXT://:9092,CONTROLLER://:9093".
func listenerPorts(s string) map[string]int {
	out := map[string]int{}
	for _, l := range strings.Split(s, ",") {
		name, hp, ok := strings.Cut(strings.TrimSpace(l), "://")
		if !ok {
			continue
		}
		if _, port, err := splitHostPort(hp); err == nil {
			out[name] = port
		}
	}
	return out
}

func composeCycles(svcs map[string]*ComposeService) []error {
	state := map[string]int{} // 1 visiting, 2 done
	var errs []error
	var visit func(n string, stack []string)
	visit = func(n string, stack []string) {
		switch state[n] {
		case 1:
			errs = append(errs, fmt.Errorf("%s: depends_on cycle: %s", ComposePath, strings.Join(append(stack, n), " -> ")))
			return
		case 2:
			return
		}
		state[n] = 1
		if s := svcs[n]; s != nil {
			deps := make([]string, 0, len(s.DependsOn))
			for d := range s.DependsOn {
				deps = append(deps, d)
			}
			sort.Strings(deps)
			for _, d := range deps {
				visit(d, append(stack, n))
			}
		}
		state[n] = 2
	}
	names := make([]string, 0, len(svcs))
	for n := range svcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		visit(n, nil)
	}
	return errs
}

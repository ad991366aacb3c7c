package deploytest

import (
	"os"
	"strings"
	"testing"
)

// edit is one deliberate breakage: replace old (which must occur) by new in file.
type edit struct{ file, old, new string }

// mutations break one thing each; every check must notice. want is a fragment of the error
// the break must cause (and that the unbroken files do not).
var mutations = []struct {
	name  string
	edits []edit
	want  string
}{
	// Dockerfile
	{"builder Go older than go.mod", []edit{{DockerfilePath, "FROM golang:1.26 AS build", "FROM golang:1.25 AS build"}}, "go.mod says go 1.26"},
	{"builds a package that does not exist", []edit{{DockerfilePath, "-o /watchpost ./cmd/watchpost", "-o /watchpost ./cmd/watchpst"}}, "./cmd/watchpost"},
	{"runs as root", []edit{{DockerfilePath, "USER 65532:65532", "USER root"}}, "non-root USER"},
	{"metrics port not exposed", []edit{{DockerfilePath, "EXPOSE 9464 8443", "EXPOSE 8443"}}, "metrics port 9464"},
	{"cgo enabled", []edit{{DockerfilePath, "ENV CGO_ENABLED=0 GOFLAGS", "ENV GOFLAGS"}, {DockerfilePath, "CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /watchpost", "go build -trimpath -ldflags=\"-s -w\" -o /watchpost"}}, "CGO_ENABLED=0"},
	{"entrypoint is not watchpost", []edit{{DockerfilePath, `ENTRYPOINT ["/usr/local/bin/watchpost"]`, `ENTRYPOINT ["/usr/local/bin/healthprobe"]`}}, "is not the watchpost binary"},
	{"copies a file that does not exist", []edit{{DockerfilePath, "COPY deploy/acls.yaml", "COPY deploy/acl.yaml"}}, "not in the repository"},
	{"build context drops an embedded file", []edit{{DockerignorePath, "bench\n", "bench\n**/*.sql\n"}}, "excludes analytics/ddl/0001_screenings.sql, which the build needs"},
	{"build context drops a package", []edit{{DockerignorePath, "bench\n", "bench\npipeline\n"}}, "which the build needs"},
	{"probe moved in the image", []edit{{DockerfilePath, "/healthprobe /usr/local/bin/healthprobe", "/healthprobe /usr/local/bin/probe"}}, "but the image has the probe at"},

	// compose
	{"compose variable renamed", []edit{{ComposePath, "  WATCHPOST_BROKERS: kafka:9092", "  WATCHPOST_BROKER: kafka:9092"}}, "WATCHPOST_BROKER is read by no watchpost subcommand"},
	{"variable renamed in cmd/watchpost", []edit{{CmdDir + "/services.go", `"WATCHPOST_BROKERS"`, `"WATCHPOST_KAFKA_BROKERS"`}}, "WATCHPOST_BROKERS is read by no watchpost subcommand"},
	{"variable the subcommand does not read", []edit{{ComposePath, "      WATCHPOST_DELIVERY: exactly-once", "      WATCHPOST_DELIVERY: exactly-once\n      WATCHPOST_CLICKHOUSE: clickhouse:9000"}}, "is not read by `watchpost matcher`"},
	{"depends on a missing service", []edit{{ComposePath, "    depends_on:\n      matcher:\n        condition: service_healthy", "    depends_on:\n      matchers:\n        condition: service_healthy"}}, "depends_on matchers: no such service"},
	{"healthy condition without healthcheck", []edit{{ComposePath, `      test: ["CMD", "/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", "localhost:9092"]`, "      disable: true"}}, "but kafka has no healthcheck"},
	{"completed condition on a restarting service", []edit{{ComposePath, "    command: [\"topics\", \"apply\"]\n    restart: \"no\"", "    command: [\"topics\", \"apply\"]\n    restart: on-failure"}}, "but topics restarts"},
	{"dependency cycle", []edit{{ComposePath, "    hostname: kafka\n", "    hostname: kafka\n    depends_on: [schema-registry]\n"}}, "depends_on cycle"},
	{"compose subcommand typo", []edit{{ComposePath, `command: ["matcher"]`, `command: ["matchr"]`}}, `"matchr" is not a watchpost subcommand`},
	{"compose unknown flag", []edit{{ComposePath, `command: ["matcher"]`, `command: ["matcher", "--groups", "x"]`}}, "flag --groups is not defined"},
	{"compose stray argument", []edit{{ComposePath, `command: ["matcher"]`, `command: ["matcher", "now", "--group", "x"]`}}, `unexpected argument "now"`},
	{"more matchers than partitions", []edit{{ComposePath, "      replicas: 2", "      replicas: 7"}}, "7 matcher replicas, but the input topics have 6 partitions"},
	{"healthcheck on the wrong port", []edit{{ComposePath, "http://127.0.0.1:9464/readyz", "http://127.0.0.1:9465/readyz"}}, "want http://127.0.0.1:9464/readyz"},
	{"ClickHouse HTTP port instead of native", []edit{{ComposePath, "WATCHPOST_CLICKHOUSE: clickhouse:9000", "WATCHPOST_CLICKHOUSE: clickhouse:8123"}}, "native protocol on 9000"},
	{"ClickHouse user differs", []edit{{ComposePath, "WATCHPOST_CLICKHOUSE_USER: watchpost", "WATCHPOST_CLICKHOUSE_USER: default"}}, "WATCHPOST_CLICKHOUSE_USER does not match"},
	{"dockerfile path wrong", []edit{{ComposePath, "dockerfile: deploy/docker/Dockerfile", "dockerfile: deploy/Dockerfile"}}, "dockerfile deploy/Dockerfile does not exist"},
	{"broker not advertised", []edit{{ComposePath, "KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092", "KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://broker:9092"}}, "advertised listeners"},
	{"controller voter on the client port", []edit{{ComposePath, "1@kafka:9093", "1@kafka:9092"}}, "KAFKA_CONTROLLER_QUORUM_VOTERS"},
	{"offsets topic replicated beyond one broker", []edit{{ComposePath, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3"}}, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR must be 1"},
	{"unpinned image", []edit{{ComposePath, "image: grafana/grafana:12.1.1", "image: grafana/grafana"}}, "is not pinned"},
	{"missing volume source", []edit{{ComposePath, "./gateway/credentials.yaml:", "./gateway/creds.yaml:"}}, "volume source ./gateway/creds.yaml does not exist"},
	{"grafana plugin not installed", []edit{{ComposePath, "GF_PLUGINS_PREINSTALL_SYNC: grafana-clickhouse-datasource", "GF_PLUGINS_PREINSTALL_SYNC: grafana-piechart-panel"}}, "plugin"},
	{"dashboards mounted where the provider does not read", []edit{{ComposePath, "../grafana/dashboards:/var/lib/grafana/dashboards/watchpost:ro", "../grafana/dashboards:/var/lib/grafana/dashboards:ro"}}, "the dashboard provider reads"},
	{"grafana data source host is not ClickHouse", []edit{{ComposePath, "      CLICKHOUSE_HOST: clickhouse", "      CLICKHOUSE_HOST: kafka"}}, `host "kafka" is not a ClickHouse service`},

	{"gateway credentials not mounted", []edit{{ComposePath, "WATCHPOST_GATEWAY_CREDENTIALS: /etc/watchpost/gateway/credentials.yaml", "WATCHPOST_GATEWAY_CREDENTIALS: /etc/watchpost/credentials.yaml"}}, "/etc/watchpost/credentials.yaml is neither mounted nor in the image"},
	{"gateway listens where the image does not expose", []edit{{ComposePath, `WATCHPOST_GATEWAY_LISTEN: ":8443"`, `WATCHPOST_GATEWAY_LISTEN: ":8080"`}}, `listens on ":8080"`},

	// Grafana
	{"data source on the HTTP port", []edit{{GrafanaDatasourcesDir + "/clickhouse.yaml", "port: 9000", "port: 8123"}}, "want 9000"},
	{"data source uid differs from the dashboards'", []edit{{GrafanaDatasourcesDir + "/clickhouse.yaml", "uid: watchpost-clickhouse", "uid: clickhouse"}}, "is not a provisioned ClickHouse data source"},
	{"misspelt provisioning field", []edit{{GrafanaDatasourcesDir + "/clickhouse.yaml", "    jsonData:", "    jsondata:"}}, "field jsondata not found"},
	{"dashboard column that does not exist", []edit{{GrafanaDashboardsDir + "/watchpost.json", "any(duration_micros)", "any(duration_ms)"}}, "duration_ms is not a column"},
	{"dashboard table that does not exist", []edit{{GrafanaDashboardsDir + "/watchpost.json", "FROM hits", "FROM alerts"}}, "table alerts is not in analytics/ddl"},
	{"dashboard counts duplicates", []edit{{GrafanaDashboardsDir + "/watchpost.json", "SELECT uniqExact(hit_id) AS hits", "SELECT count() AS hits"}}, "a row delivered twice is counted twice"},
	{"dashboard lists rows without de-duplicating", []edit{{GrafanaDashboardsDir + "/watchpost.json", "SELECT DISTINCT country FROM screenings WHERE $__timeFilter(screened_at) ORDER BY country\",\n        \"definition", "SELECT country FROM screenings WHERE $__timeFilter(screened_at) ORDER BY country\",\n        \"definition"}}, "lists rows without de-duplicating"},
	{"dashboard unknown macro", []edit{{GrafanaDashboardsDir + "/watchpost.json", "$__timeFilter(raised_at)", "$__timeFilterX(raised_at)"}}, "unknown macro $__timeFilterX"},
	{"dashboard undefined variable", []edit{{GrafanaDashboardsDir + "/watchpost.json", "${country:singlequote}", "${countries:singlequote}"}}, "variable $countries is not defined"},
	{"dashboard kind that does not exist", []edit{{GrafanaDashboardsDir + "/watchpost.json", "kind = 'person'", "kind = 'traveller'"}}, "not an event.SubjectKind"},
	{"dashboard required panel missing", []edit{{GrafanaDashboardsDir + "/watchpost.json", `"title": "Hits per border post"`, `"title": "Hits per crossing point"`}}, `no panel "Hits per border post"`},
	{"dashboard JSON broken", []edit{{GrafanaDashboardsDir + "/watchpost.json", `"panels": [`, `"panels": [[`}}, "watchpost.json"},
	{"column renamed in the DDL", []edit{{DDLDir + "/0001_screenings.sql", "duration_micros  UInt64", "latency_micros   UInt64"}}, "duration_micros is not a column"},

	// Kubernetes
	{"kustomization resource missing", []edit{{K8sDir + "/base/kustomization.yaml", "  - sink.yaml", "  - sinks.yaml"}}, "resource sinks.yaml does not exist"},
	{"patch target missing", []edit{{K8sDir + "/overlays/dev/sizes.yaml", "  name: watchpost-sink\n", "  name: watchpost-sinks\n"}}, `no Deployment "watchpost-sinks" to patch`},
	{"readiness on the wrong path", []edit{{K8sDir + "/base/matcher.yaml", "path: /readyz", "path: /ready"}}, "readinessProbe path /ready, want /readyz"},
	{"liveness probe missing", []edit{{K8sDir + "/base/sink.yaml", "          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: metrics\n            periodSeconds: 10\n            timeoutSeconds: 3\n            failureThreshold: 6\n", ""}}, "no livenessProbe"},
	{"metrics port differs from --metrics-addr", []edit{{K8sDir + "/base/sink.yaml", "containerPort: 9464", "containerPort: 9465"}}, "container port named metrics on 9464"},
	{"metrics address moved in the ConfigMap", []edit{{K8sDir + "/base/configmaps.yaml", `WATCHPOST_METRICS_ADDR: ":9464"`, `WATCHPOST_METRICS_ADDR: ":9100"`}}, "container port named metrics on 9100"},
	{"container args not a subcommand", []edit{{K8sDir + "/base/matcher.yaml", `args: ["matcher"]`, `args: ["match"]`}}, `"match" is not a watchpost subcommand`},
	{"topics job verb wrong", []edit{{K8sDir + "/base/topics-job.yaml", `args: ["topics", "apply"]`, `args: ["topics", "create"]`}}, "needs one of [apply]"},
	{"KEDA beyond the partitions", []edit{{K8sDir + "/base/matcher-scaledobject.yaml", "maxReplicaCount: 6", "maxReplicaCount: 8"}}, "exceeds the 6 partitions of watchpost.manifests.v1"},
	{"prod KEDA beyond the partitions", []edit{{K8sDir + "/overlays/prod/config.yaml", "maxReplicaCount: 6", "maxReplicaCount: 12"}}, "overlays/prod: ScaledObject watchpost-matcher: maxReplicaCount 12 exceeds"},
	{"topic shrunk in topics.yaml", []edit{{TopicsPath, "partitions: 6", "partitions: 4"}}, "exceeds the 4 partitions of watchpost.manifests.v1"},
	{"KEDA consumer group differs", []edit{{K8sDir + "/base/matcher-scaledobject.yaml", "consumerGroup: watchpost-matcher", "consumerGroup: watchpost-matchers"}}, `consumerGroup "watchpost-matchers", but the matcher consumes in group "watchpost-matcher"`},
	{"KEDA target missing", []edit{{K8sDir + "/base/matcher-scaledobject.yaml", "    name: watchpost-matcher\n  minReplicaCount", "    name: watchpost-matchr\n  minReplicaCount"}}, "scaleTargetRef Deployment watchpost-matchr does not exist"},
	{"KEDA topic not declared", []edit{{K8sDir + "/base/matcher-scaledobject.yaml", "topic: watchpost.manifests.v1", "topic: watchpost.manifest.v1"}}, `topic "watchpost.manifest.v1" is not declared`},
	{"KEDA brokers differ from the workers'", []edit{{K8sDir + "/overlays/prod/kustomization.yaml", "value: kafka-0.kafka.svc:9093,", "value: kafka-0.kafka.svc:9092,"}}, "bootstrapServers"},
	{"replicas fight the autoscaler", []edit{{K8sDir + "/base/matcher.yaml", "spec:\n  revisionHistoryLimit: 5\n  progressDeadlineSeconds", "spec:\n  replicas: 3\n  revisionHistoryLimit: 5\n  progressDeadlineSeconds"}}, "sets spec.replicas"},
	{"ConfigMap variable renamed", []edit{{K8sDir + "/base/configmaps.yaml", "WATCHPOST_LOG_LEVEL: info", "WATCHPOST_LOGLEVEL: info"}}, "WATCHPOST_LOGLEVEL is read by no watchpost subcommand"},
	{"ClickHouse settings on the matcher", []edit{{K8sDir + "/base/matcher.yaml", "                name: watchpost-kafka\n", "                name: watchpost-kafka\n            - configMapRef:\n                name: watchpost-clickhouse\n"}}, "is not read by `watchpost matcher`"},
	{"secret key that does not exist", []edit{{K8sDir + "/base/sink.yaml", "key: password", "key: passwd"}}, "has no key passwd"},
	{"real secret in the placeholders", []edit{{SecretsDir + "/secrets.yaml", "matcher-password: CHANGE_ME", "matcher-password: hunter2"}}, "not a placeholder"},
	{"GOMEMLIMIT above the limit", []edit{{K8sDir + "/base/matcher.yaml", "value: 2700MiB", "value: 4000MiB"}}, "is not below limits.memory"},
	{"matcher without GOMEMLIMIT", []edit{{K8sDir + "/overlays/dev/sizes.yaml", "          env:\n            - name: GOMEMLIMIT\n              value: 900MiB\n", ""}, {K8sDir + "/base/matcher.yaml", "            - name: GOMEMLIMIT\n              value: 2700MiB\n", ""}}, "set GOMEMLIMIT"},
	{"grace period too short to drain", []edit{{K8sDir + "/base/matcher.yaml", "terminationGracePeriodSeconds: 90", "terminationGracePeriodSeconds: 20"}}, "shorter than the 60 s"},
	{"scrape annotation on the wrong port", []edit{{K8sDir + "/base/matcher.yaml", `prometheus.io/port: "9464"`, `prometheus.io/port: "9090"`}}, "prometheus.io/port"},
	{"PodDisruptionBudget selects nothing", []edit{{K8sDir + "/base/poddisruptionbudgets.yaml", "app.kubernetes.io/component: sink", "app.kubernetes.io/component: sinks"}}, "matches no Deployment"},
	{"Service targets a port that does not exist", []edit{{K8sDir + "/base/gateway.yaml", "targetPort: api", "targetPort: https"}}, "targetPort https"},
	{"SASL user not in acls.yaml", []edit{{K8sDir + "/components/kafka-security/matcher.yaml", "value: matcher", "value: matcherx"}}, `SASL user "matcherx" is not a principal`},
	{"SASL password file not mounted", []edit{{K8sDir + "/components/kafka-security/matcher.yaml", "key: matcher-password", "key: matcher-pass"}}, "has no key"},
	{"ACL file not in the image", []edit{{K8sDir + "/components/kafka-security/acl-job.yaml", `"--file", "/etc/watchpost/acls.yaml"`, `"--file", "/etc/watchpost/acl.yaml"`}}, "/etc/watchpost/acl.yaml is neither mounted nor in the image"},
	{"gateway listens off its container port", []edit{{K8sDir + "/base/configmaps.yaml", `WATCHPOST_GATEWAY_LISTEN: ":8443"`, `WATCHPOST_GATEWAY_LISTEN: ":9443"`}}, "listens on 9443, which is not a container port"},
	{"gateway TLS key not in the Secret", []edit{{K8sDir + "/overlays/prod/gateway-tls.yaml", "/etc/watchpost/gateway-tls/tls.key", "/etc/watchpost/gateway-tls/key.pem"}}, "Secret watchpost-gateway-tls has no key for key.pem"},
	{"gateway variable renamed in cmd/watchpost", []edit{{CmdDir + "/gateway.go", `"WATCHPOST_GATEWAY_CREDENTIALS"`, `"WATCHPOST_GATEWAY_CLIENTS"`}}, "WATCHPOST_GATEWAY_CREDENTIALS is read by no watchpost subcommand"},
	{"KEDA without credentials on a SASL cluster", []edit{{K8sDir + "/components/kafka-security/kustomization.yaml", "      - op: add\n        path: /spec/triggers/1/authenticationRef\n        value:\n          name: watchpost-kafka-keda\n", ""}}, "KEDA must too"},
	{"object outside the Namespace", []edit{{K8sDir + "/base/kustomization.yaml", "namespace: watchpost\n", ""}}, "set namespace: in the kustomization"},
	{"metrics flag moves the port", []edit{{ComposePath, `command: ["sink"]`, `command: ["sink", "--metrics-addr", ":9100"]`}}, "want http://127.0.0.1:9100/readyz"},
	{"wrong apiVersion", []edit{{K8sDir + "/base/poddisruptionbudgets.yaml", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: watchpost-matcher", "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: watchpost-matcher"}}, "apiVersion policy/v1beta1, want policy/v1"},
	{"runAsUser differs from the image", []edit{{K8sDir + "/base/matcher.yaml", "runAsUser: 65532", "runAsUser: 1000"}}, "runAsUser 1000, but the image runs as 65532"},
	{"image tag latest", []edit{{K8sDir + "/overlays/prod/kustomization.yaml", "newTag: 0.1.0", "newTag: latest"}}, "must carry a version tag"},
	{"unsupported kustomize field", []edit{{K8sDir + "/overlays/dev/kustomization.yaml", "namespace: watchpost-dev", "namespace: watchpost-dev\ncommonLabels:\n  team: border"}}, "field commonLabels not found"},
}

func TestChecksFailOnBrokenCopies(t *testing.T) {
	t.Parallel()
	base := os.DirFS(repoRoot)
	r := loadRepo(t)
	baseline := map[string]bool{}
	for _, err := range CheckAll(r) {
		baseline[err.Error()] = true
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			files := map[string][]byte{}
			for _, e := range m.edits {
				b, ok := files[e.file]
				if !ok {
					var err error
					if b, err = os.ReadFile(repoRoot + "/" + e.file); err != nil {
						t.Fatal(err)
					}
				}
				if !strings.Contains(string(b), e.old) {
					t.Fatalf("%s does not contain %q: the mutation no longer applies", e.file, e.old)
				}
				files[e.file] = []byte(strings.Replace(string(b), e.old, e.new, 1))
			}
			var errs []error
			mr, err := LoadRepo(Overlay{Base: base, Files: files})
			if err != nil {
				errs = append(errs, err)
			}
			if mr.Commands != nil && mr.Tables != nil && mr.Topics != nil {
				errs = append(errs, CheckAll(mr)...)
			}
			var fresh []string
			for _, err := range errs {
				if !baseline[err.Error()] {
					fresh = append(fresh, err.Error())
				}
			}
			for _, e := range fresh {
				if strings.Contains(e, m.want) {
					return
				}
			}
			t.Errorf("no new error mentions %q; new errors:\n%s", m.want, strings.Join(fresh, "\n"))
		})
	}
}

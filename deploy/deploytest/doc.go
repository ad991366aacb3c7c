// Package deploytest checks Watchpost's deployment files against the source tree they deploy:
// the Dockerfile (deploy/docker), the compose stack (deploy/compose), the Kubernetes
// kustomizations (deploy/k8s) and the Grafana provisioning and dashboards (deploy/grafana).
//
// Nothing here is taken on trust from the files themselves. The facts they are held to are read
// from the source at test time ([LoadRepo]): the subcommands of cmd/watchpost's command table
// with the flags and WATCHPOST_* environment variables each one reads (from the Go syntax
// tree), the metrics port (the default of --metrics-addr), the Go version of go.mod, the topic
// partitions of deploy/topics.yaml, the principals of deploy/acls.yaml and the tables and
// columns of analytics/ddl. Renaming a variable, a flag or a column in the code therefore fails
// these checks until the deployment files follow.
//
// Every check reads through an [fs.FS] rooted at the repository, so the tests run each one
// on deliberately broken copies too ([Overlay]) and prove it can fail. Kustomizations are
// rendered by a small built-in renderer ([Kustomize]) that supports the subset these files
// use and refuses anything else; when kubectl is installed, a test compares its output with
// `kubectl kustomize`.
//
// The package imports the standard library, yaml.v3 and the repository's deploy package; its
// tests also use the analytics sink (to run the dashboard's queries on a real ClickHouse), the
// gateway's credentials parser and internal/testenv. Nothing but its tests imports it, and
// its values are not shared between goroutines.
package deploytest

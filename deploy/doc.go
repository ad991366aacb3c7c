// Package deploy holds the deployment declarations shared by the code and the deployment
// files: the topic declaration (topics.yaml) embedded here, so that `watchpost topics apply`,
// the embedded broker of `make demo` and the tests create exactly what operators deploy.
//
// It imports only the standard library and a YAML parser. Its values are read-only after
// loading and safe for concurrent use.
package deploy

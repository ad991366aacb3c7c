package gateway

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 description of the gateway, served at /openapi.yaml.
//
//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 document describing every endpoint, schema and problem.
func OpenAPI() []byte { return append([]byte(nil), openAPI...) }

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(openAPI)
}

// Package jsonschema embeds the published JSON Schemas of the JSON inputs Watchpost accepts, so the
// gateway can serve them and tests can check them against the decoders.
package jsonschema

import _ "embed"

// Manifest is manifest.schema.json, the JSON Schema of JSON API manifests.
//
//go:embed manifest.schema.json
var Manifest []byte

package gateway_test

import (
	"fmt"

	"github.com/watchpost/watchpost/internal/gateway"
)

// A client's API key is generated once with NewKey and handed to the client; the
// credentials file stores only HashKey(key).
func ExampleHashKey() {
	fmt.Println(gateway.HashKey("wpk_example-key-do-not-use"))
	// Output: 369524bcf4aea6d2a51ac3980c030b44489eef147c573faa9bbe32ed6a0f292e
}

// The credentials file lists each client, what it may submit for (a partner: where it
// operates), its key hash and, optionally, its rate limit and certificate name.
func ExampleParseCredentials() {
	doc := `
clients:
  - id: af-api
    kind: carrier
    carriers: [AF]
    key_sha256: ` + gateway.HashKey("wpk_example-key-do-not-use") + `
    rate_per_second: 5
    burst: 10
  - id: cdg-post
    kind: border_post
    country: FRA
    border_posts: [CDG]
    cert_cn: cdg.border.example   # mutual TLS only: no key
  - id: hotel-7                   # a partner: checks documents at POST /v1/checks
    kind: partner
    country: NLD                  # where it operates
    key_sha256: ` + gateway.HashKey("wpk_another-example-key") + `
    rate_per_second: 2
`
	cs, err := gateway.ParseCredentials([]byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cs.Clients() {
		fmt.Println(c.ID, c.Kind, c.Carriers, c.Country, c.BorderPosts, c.CertCN)
	}
	// Output:
	// af-api carrier [AF]  [] af-api
	// cdg-post border_post [] FRA [CDG] cdg.border.example
	// hotel-7 partner [] NLD [] hotel-7
}

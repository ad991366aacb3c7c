package gen_test

import (
	"fmt"
	"log"

	"github.com/watchpost/watchpost/internal/gen"
)

func ExampleGenerate() {
	cfg := gen.DefaultConfig()
	cfg.Documents, cfg.Notices, cfg.Manifests = 1000, 200, 50
	d, err := gen.Generate(cfg)
	if err != nil {
		log.Fatal(err)
	}
	travellers := 0
	for _, m := range d.Manifests {
		travellers += len(m.Travellers)
	}
	fmt.Println(len(d.Lists.Documents), "SLTD records,", len(d.Lists.Notices), "notices")
	fmt.Println(len(d.Manifests), "manifests,", travellers, "travellers")
	fmt.Println(len(d.Planted), "planted hits,", len(d.NearMisses), "near misses")
	fmt.Println("first subject:", d.Manifests[0].Subjects()[0].ID)
	// Output:
	// 1000 SLTD records, 200 notices
	// 50 manifests, 354 travellers
	// 7 planted hits, 7 near misses
	// first subject: M89025cc1-000001/0
}

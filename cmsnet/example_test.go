package cmsnet_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/eidkit/eidkit/cmsnet"
)

const exampleDescriptor = `
version: 1
entities:
  - {id: operator, connection: kivs, agencySystem: true, prefixes: [10.10.0.0/16]}
  - {id: tax, connection: metropolitan, agencySystem: true, prefixes: [10.20.0.0/16]}
publications:
  - service: broker
    owner: operator
    critical: true
    hosting: ndc
    environments:
      - environment: cms          # C4: approved, reached only through grants
        access: approved
        addresses: [10.1.0.10]
        endpoints: [{protocol: tcp, port: 8443}]
grants:
  - id: g-tax                     # C7: one service per grant
    service: broker
    entity: tax
    environment: cms
    sources: [10.20.5.0/24]
    state: approved
    approvedBy: operator
tests:
  - {name: tax back channel, source: 10.20.5.9, service: broker, environment: cms, protocol: tcp, port: 8443, expect: allow}
`

func exampleNow() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

func ExampleLoad() {
	p, err := cmsnet.Load([]byte(exampleDescriptor), cmsnet.FormatYAML, cmsnet.Config{Now: exampleNow})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, src := range []string{"10.20.5.9", "10.20.6.9"} {
		d := p.Decide(cmsnet.Flow{Source: netip.MustParseAddr(src), Service: "broker",
			Environment: cmsnet.EnvCMS, Protocol: cmsnet.TCP, Port: 8443})
		fmt.Println(src, d)
	}
	// Output:
	// 10.20.5.9 allow: allowed by an approved grant: grant grants[0] (grant g-tax) at 17:5
	// 10.20.6.9 deny: denied: no rule admits the source
}

func ExampleErrorList() {
	bad := strings.Replace(exampleDescriptor, "addresses: [10.1.0.10]", "addresses: [8.8.8.8]", 1)
	_, err := cmsnet.Load([]byte(bad), cmsnet.FormatYAML, cmsnet.Config{Now: exampleNow})
	if list, ok := err.(cmsnet.ErrorList); ok {
		fmt.Print(list.Pretty("broker.yaml"))
	}
	// Output:
	// broker.yaml:14:21: publications[0].environments[0].addresses[0]: 8.8.8.8 is outside the cms address space (C4/C6: private consolidated CMS addresses) [address-space]
	//           addresses: [8.8.8.8]
	//                       ^
}

func ExamplePolicy_WhoCanReach() {
	p, _ := cmsnet.Load([]byte(exampleDescriptor), cmsnet.FormatYAML, cmsnet.Config{Now: exampleNow})
	r, _ := p.WhoCanReach("broker", cmsnet.EnvCMS)
	for _, s := range r.Sources {
		fmt.Println(s.Entity, s.Prefixes, s.Rule.Path)
	}
	// Output:
	// tax [10.20.5.0/24] grants[0]
}

func ExampleDiff() {
	older, _ := cmsnet.Load([]byte(exampleDescriptor), cmsnet.FormatYAML, cmsnet.Config{Now: exampleNow})
	widened := strings.Replace(exampleDescriptor, "sources: [10.20.5.0/24]", "sources: [10.20.4.0/23]", 1)
	newer, _ := cmsnet.Load([]byte(widened), cmsnet.FormatYAML, cmsnet.Config{Now: exampleNow})
	for _, c := range cmsnet.Diff(older, newer) {
		fmt.Println(c.Service, c.Environment, c.Protocol, c.Port, "allowed:", c.Allowed, "denied:", c.Denied)
	}
	// Output:
	// broker cms tcp 8443 allowed: [10.20.4.0/24] denied: []
}

func ExampleMiddleware() {
	p, _ := cmsnet.Load([]byte(exampleDescriptor), cmsnet.FormatYAML, cmsnet.Config{})
	guard, err := cmsnet.Middleware(cmsnet.MiddlewareConfig{
		Policy: p, Service: "broker", Environment: cmsnet.EnvCMS, Port: 8443,
		AllowForwardedFrom: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/29")}, // our own reverse proxies
		Logger:             slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /saml/slo", func(w http.ResponseWriter, r *http.Request) {})
	srv := &http.Server{Addr: ":8443", Handler: guard(mux), ReadHeaderTimeout: 10 * time.Second}
	_ = srv // srv.ListenAndServeTLS(cert, key)
	fmt.Println("ok")
	// Output: ok
}

func ExampleRenderNFT() {
	p, _ := cmsnet.Load([]byte(exampleDescriptor), cmsnet.FormatYAML, cmsnet.Config{Now: exampleNow})
	var b strings.Builder
	_ = cmsnet.RenderNFT(&b, p, cmsnet.NFTOptions{})
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, "accept comment") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// ip saddr { 10.20.5.0/24 } ip daddr { 10.1.0.10 } tcp dport { 8443 } counter accept comment "grant grants[0] (grant g-tax) at 17:5"
}

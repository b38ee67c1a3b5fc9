package cmsnet

import (
	"errors"
	"io"
	"net/http/httptest"
	"net/netip"
	"os"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to both front-ends: Load must never
// panic, must return either a Policy or an ErrorList whose errors all
// carry a code and a sentinel, and a loaded Policy must evaluate, report
// reach and render.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"broker.yaml", "broker-v2.yaml", "registry.json", "bad.yaml"} {
		src, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, name == "registry.json")
	}
	f.Add([]byte(`{"version":1,"entities":[{"id":"a","connection":"kivs","prefixes":["10.0.0.0/8"]}]}`), true)
	f.Add([]byte("version: 1\ngroups: [{id: a, members: [a]}]\n"), false)
	f.Add(syntheticYAML(3, 6), false)
	cfg := testConfig()
	cfg.Limits = Limits{MaxBytes: 1 << 16, MaxNodes: 5000}
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		format := FormatYAML
		if asJSON {
			format = FormatJSON
		}
		if !asJSON {
			// yamlNodeBound must never under-estimate (it guards memory).
			if _, perr := parseYAML(src, treeLimits{maxDepth: 1 << 20, maxNodes: yamlNodeBound(src)}); perr != nil && perr.Code == "too-large" {
				t.Fatalf("yamlNodeBound %d under-estimates: %v", yamlNodeBound(src), perr)
			}
		}
		p, err := Load(src, format, cfg)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if e.Code == "" || e.Err == nil || e.Line < 0 || e.Column < 0 {
					t.Fatalf("malformed error %#v", e)
				}
			}
			return
		}
		for k := range p.index {
			p.Decide(Flow{Source: netip.MustParseAddr("10.0.0.1"), Service: k.service, Environment: k.env, Protocol: TCP, Port: 443})
			if _, err := p.WhoCanReach(k.service, k.env); err != nil {
				t.Fatal(err)
			}
		}
		if err := RenderNFT(io.Discard, p, NFTOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzForwardedFor feeds arbitrary forwarded-for headers from a trusted
// proxy: the middleware's source must be a valid address or an error,
// never a panic, and never a trusted proxy when an untrusted hop exists.
func FuzzForwardedFor(f *testing.F) {
	f.Add("10.20.5.9")
	f.Add("10.20.5.9, 10.1.0.7")
	f.Add(" , ,::ffff:1.2.3.4,[::1]")
	f.Add("fe80::1%eth0")
	g := &guard{cfg: MiddlewareConfig{AllowForwardedFrom: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}}, header: DefaultForwardedHeader}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.1.0.5:1234"
		r.Header.Set(DefaultForwardedHeader, header)
		a, err := g.source(r)
		if err != nil {
			return
		}
		if !a.IsValid() {
			t.Fatal("invalid source without error")
		}
	})
}

package partner_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
)

func benchRegistry(b *testing.B) *partner.Registry {
	b.Helper()
	k, clk := newKeys(b), newClock()
	r, err := partner.New(b.Context(), partner.Config{
		Environment: partner.EnvTest,
		Sources:     []partner.Source{{Environment: partner.EnvTest, Data: signedIdP(b, k, idpID, clk.Now(), time.Hour), Verifier: k.verify}},
		Now:         func() time.Time { return t0 }, // no lock, unlike clock
	})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkLookup is the per-message cost the SP and IdP pay.
func BenchmarkLookup(b *testing.B) {
	r := benchRegistry(b)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Lookup(ctx, idpID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookupParallel(b *testing.B) {
	r := benchRegistry(b)
	ctx := b.Context()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Lookup(ctx, idpID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkNewSignedRSA2048 loads and verifies one signed metadata document.
func BenchmarkNewSignedRSA2048(b *testing.B) {
	k, clk := newKeysOf(b, samltest.RSA2048), newClock()
	cfg := partner.Config{
		Environment: partner.EnvTest,
		Sources:     []partner.Source{{Environment: partner.EnvTest, Data: signedIdP(b, k, idpID, clk.Now(), time.Hour), Verifier: k.verify}},
		Now:         clk.Now,
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := partner.New(b.Context(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefreshNotModified is a background refresh answered 304.
func BenchmarkRefreshNotModified(b *testing.B) {
	k, clk := newKeys(b), newClock()
	md := &mdServer{body: signedIdP(b, k, idpID, clk.Now(), time.Hour)}
	cfg := runConfig(md, k)
	cfg.Now = clk.Now
	cfg.HTTPClient = &http.Client{Transport: handlerTransport{md}}
	r, err := partner.New(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Refresh(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

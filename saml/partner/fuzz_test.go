package partner_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// FuzzLoadBytes feeds arbitrary documents to a registry source: New must
// return a registry or a *SourceError, never panic, and every partner it
// holds must look up cleanly.
func FuzzLoadBytes(f *testing.F) {
	k, clk := newKeys(f), newClock()
	f.Add(signedIdP(f, k, idpID, clk.Now(), time.Hour))
	unsigned, err := idpEntity(f, idpID, k.partner.Certificate, clk.Now(), time.Hour, 0).Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(unsigned)
	var eds []*metadata.EntityDescriptor
	for i := range 3 {
		eds = append(eds, idpEntity(f, fmt.Sprintf("https://idp%d.example.eu/md", i), k.partner.Certificate, clk.Now(), time.Hour, 0))
	}
	f.Add(aggregate(f, k.signer, clk.Now().Add(time.Hour), eds...))
	f.Add(aggregate(f, nil, clk.Now().Add(time.Hour), eds...))
	f.Add([]byte(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`))
	f.Add([]byte("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"))

	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		r, err := partner.New(t.Context(), partner.Config{
			Environment: partner.EnvTest,
			Sources: []partner.Source{{
				Environment:       partner.EnvTest,
				Data:              data,
				Verifier:          k.verify,
				AllowUnsigned:     true,
				AllowNoValidUntil: true,
			}},
			MaxMetadataBytes: 1 << 20,
			Now:              clk.Now,
		})
		if err != nil {
			var se *partner.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SourceError: %v", err)
			}
			return
		}
		ps := r.Partners()
		if len(ps) == 0 {
			t.Fatal("a registry without partners was created")
		}
		for _, p := range ps {
			got, err := r.Lookup(t.Context(), p.EntityID)
			if err != nil && !errors.Is(err, partner.ErrExpired) {
				t.Fatalf("Lookup(%q): %v", p.EntityID, err)
			}
			if err == nil && got.Metadata != p.Metadata {
				t.Fatal("Lookup and Partners disagree")
			}
		}
	})
}

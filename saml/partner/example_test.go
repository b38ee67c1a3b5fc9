package partner_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
)

// exampleMetadata returns signed IdP metadata and the certificate that
// verifies it: in real life the certificate was exchanged before
// integration (N23) and the metadata is fetched from the partner.
func exampleMetadata(entityID string, now time.Time) ([]byte, *x509.Certificate) {
	mdKey, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		log.Fatal(err)
	}
	idpKey, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		log.Fatal(err)
	}
	ed, err := metadata.NewIDP(metadata.IDPConfig{
		EntityID:            entityID,
		SSO:                 []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: "https://niastst.fina.hr/sso-http"}},
		SigningCertificates: []*x509.Certificate{idpKey.Certificate},
		Now:                 func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}
	signed, err := ed.Sign(&dsig.Signer{Key: mdKey.Key})
	if err != nil {
		log.Fatal(err)
	}
	return signed, mdKey.Certificate
}

// An e-service trusts the NIAS test IdP. In production the Source would
// be a URL ("https://...") or a File, with Run refreshing it.
func ExampleNew() {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	const nias = "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR"
	data, trusted := exampleMetadata(nias, now)

	reg, err := partner.New(context.Background(), partner.Config{
		Environment: partner.EnvTest,
		Sources: []partner.Source{{
			Name:        "nias-test",
			Environment: partner.EnvTest,
			Data:        data,
			Verifier:    &dsig.Verifier{Certificates: []*x509.Certificate{trusted}},
		}},
		Now: func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}

	p, err := reg.Lookup(context.Background(), nias)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Environment, p.Source, p.ValidUntil.Format(time.RFC3339))
	sso, err := p.Metadata.IDP.SSOEndpoint(saml.BindingHTTPPOST)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sso.Location)

	_, err = reg.Lookup(context.Background(), "https://unknown.example/metadata")
	fmt.Println(errors.Is(err, partner.ErrUnknownPartner))
	// Output:
	// test nias-test 2026-11-24T10:00:00Z
	// https://niastst.fina.hr/sso-http
	// true
}

// Suspending a partner (N25): logins through it are refused with a notice.
func ExampleRegistry_Suspend() {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	ed, err := metadata.NewSP(metadata.SPConfig{
		EntityID:                      "https://eusluga.example.hr/saml/metadata",
		ACS:                           []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: "https://eusluga.example.hr/saml/acs"}},
		InsecureUnsignedAuthnRequests: true, // keeps the example short: no key
		Now:                           func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}
	reg, err := partner.NewStatic(partner.StaticConfig{
		Environment: partner.EnvProduction,
		Partners:    []*partner.Partner{{EntityID: ed.EntityID, Metadata: ed}},
		Now:         func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}

	if err := reg.Suspend(ed.EntityID, "Temporarily unavailable for security reasons."); err != nil {
		log.Fatal(err)
	}
	p, err := reg.Lookup(context.Background(), ed.EntityID)
	var le *partner.LookupError
	if errors.As(err, &le) && errors.Is(err, partner.ErrSuspended) {
		fmt.Println("refused:", le.Notice, p.Suspended)
	}

	reg.Resume(ed.EntityID)
	_, err = reg.Lookup(context.Background(), ed.EntityID)
	fmt.Println(err)
	// Output:
	// refused: Temporarily unavailable for security reasons. true
	// <nil>
}

// Run refreshes the sources in the background until its context ends.
func ExampleRegistry_Run() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The metadata signing certificate, exchanged before integration (N23).
	pemBytes, err := os.ReadFile("/etc/eservice/nias-production-metadata.pem")
	if err != nil {
		log.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		log.Fatal("no PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		log.Fatal(err)
	}
	reg, err := partner.New(ctx, partner.Config{
		Environment: partner.EnvProduction,
		Sources: []partner.Source{{
			Environment: partner.EnvProduction,
			URL:         "https://nias.example.hr/metadata",
			Verifier:    &dsig.Verifier{Certificates: []*x509.Certificate{cert}},
		}},
		Logger: slog.Default(),
	})
	if err != nil {
		log.Fatal(err) // names the failed field or source
	}
	go func() {
		if err := reg.Run(ctx); err != nil {
			slog.Error("partner refresh", "err", err)
		}
	}()
}

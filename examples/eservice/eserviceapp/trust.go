package eserviceapp

import (
	"context"
	"crypto/x509"
	"log/slog"

	"github.com/eidkit/eidkit/examples/internal/demo"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/sp"
)

// trustedIdP is the e-service's sp.IdPSource: the issuer's metadata, fetched
// by URL in the background and trusted through its certificate file (see
// demo.Trusted). Until it loads, the login pages say the identity provider
// is unavailable; nothing is trusted early.
type trustedIdP = demo.Trusted

var _ sp.IdPSource = (*trustedIdP)(nil)

// trustConfig says where the issuer's metadata is and how it is trusted.
func trustConfig(cfg *resolved) demo.TrustConfig {
	return demo.TrustConfig{
		Peer: "issuer", Self: "eservice",
		URL: cfg.IdPMetadataURL, URLFlag: "-idp-metadata", Entities: []string{cfg.IdPEntityID},
		CertFile: cfg.IdPCertFile, CertFlag: "-idp-cert", AllowUnsigned: cfg.AllowUnsignedMetadata,
		RetryInterval: cfg.RetryInterval, Stdout: cfg.Stdout, Now: cfg.Now,
		ErrConfig: ErrConfig, ErrCertMissing: ErrCertMissing, ErrDataDir: ErrDataDir,
	}
}

// buildRegistry fetches and verifies the issuer metadata once.
func buildRegistry(ctx context.Context, cfg *resolved, log *slog.Logger) (*partner.Registry, string, error) {
	return demo.BuildRegistry(ctx, trustConfig(cfg), log)
}

// readCertificate reads one PEM certificate (ErrCertMissing, ErrDataDir).
func readCertificate(path string) (*x509.Certificate, error) {
	return demo.ReadCertificate(path, demo.TrustConfig{CertFlag: "-idp-cert",
		ErrCertMissing: ErrCertMissing, ErrDataDir: ErrDataDir})
}

package issuerapp

import (
	"context"
	"crypto/x509"
	"log/slog"

	"github.com/eidkit/eidkit/examples/internal/demo"
	"github.com/eidkit/eidkit/saml/idp"
	"github.com/eidkit/eidkit/saml/partner"
)

// trustedSPs is the issuer's idp.SPSource: the e-service's metadata, fetched
// by URL in the background and trusted through its certificate file (see
// demo.Trusted). No SP is trusted before its metadata has been verified.
type trustedSPs = demo.Trusted

var _ idp.SPSource = (*trustedSPs)(nil)

// trustConfig says where the e-service's metadata is and how it is trusted.
func trustConfig(cfg *resolved) demo.TrustConfig {
	return demo.TrustConfig{
		Peer: "e-service", Self: "issuer",
		URL: cfg.SPMetadataURL, URLFlag: "-sp-metadata",
		CertFile: cfg.SPCertFile, CertFlag: "-sp-cert", AllowUnsigned: cfg.AllowUnsignedMetadata,
		RetryInterval: cfg.RetryInterval, Stdout: cfg.Stdout, Now: cfg.Now,
		ErrConfig: ErrConfig, ErrCertMissing: ErrCertMissing, ErrDataDir: ErrDataDir,
	}
}

// buildRegistry fetches and verifies the e-service metadata once.
func buildRegistry(ctx context.Context, cfg *resolved, log *slog.Logger) (*partner.Registry, string, error) {
	return demo.BuildRegistry(ctx, trustConfig(cfg), log)
}

// readCertificate reads one PEM certificate (ErrCertMissing, ErrDataDir).
func readCertificate(path string) (*x509.Certificate, error) {
	return demo.ReadCertificate(path, demo.TrustConfig{CertFlag: "-sp-cert",
		ErrCertMissing: ErrCertMissing, ErrDataDir: ErrDataDir})
}

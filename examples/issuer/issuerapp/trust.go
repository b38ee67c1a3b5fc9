package issuerapp

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/idp"
	"github.com/eidkit/eidkit/saml/partner"
)

// Metadata refresh schedule of the partner registry: short, because the
// two examples restart often during development.
const (
	refreshInterval = 5 * time.Minute
	minRefresh      = 10 * time.Second
)

// trustedSPs is the issuer's idp.SPSource. The e-service may start after
// the issuer, and partner.New fails while its metadata URL does not answer,
// so the registry is built in the background (watch) and, until then,
// every lookup reports partner.ErrUnknownPartner: no SP is trusted before
// its metadata has been fetched and verified.
type trustedSPs struct {
	reg atomic.Pointer[partner.Registry]
	// mode says how the metadata was trusted, for the home page.
	mode atomic.Pointer[string]
}

var _ idp.SPSource = (*trustedSPs)(nil)

// Lookup implements idp.SPSource.
func (t *trustedSPs) Lookup(ctx context.Context, entityID string) (*partner.Partner, error) {
	reg := t.reg.Load()
	if reg == nil {
		return nil, &partner.LookupError{EntityID: entityID, Environment: partner.EnvTest, Err: partner.ErrUnknownPartner}
	}
	return reg.Lookup(ctx, entityID)
}

// status returns the trusted partners and how they were trusted; nil
// partners while the metadata has not been loaded yet.
func (t *trustedSPs) status() ([]*partner.Partner, string) {
	reg := t.reg.Load()
	if reg == nil {
		return nil, ""
	}
	return reg.Partners(), *t.mode.Load()
}

// watch builds the registry, retrying every retry until it succeeds or ctx
// ends, then refreshes it until ctx ends. A configuration error the
// registry reports (e.g. a non-loopback http URL) is returned at once.
func (t *trustedSPs) watch(ctx context.Context, cfg *resolved, log *slog.Logger) error {
	var last string
	for {
		reg, mode, err := buildRegistry(ctx, cfg, log)
		if err == nil {
			t.mode.Store(&mode)
			t.reg.Store(reg)
			log.Info("issuer: e-service metadata loaded", "url", cfg.SPMetadataURL, "trust", mode)
			return reg.Run(ctx)
		}
		if errors.Is(err, partner.ErrInvalidConfig) {
			return fmt.Errorf("%w: -sp-metadata: %w", ErrConfig, err)
		}
		if msg := err.Error(); msg != last {
			last = msg
			fmt.Fprintf(cfg.Stdout, "note: e-service metadata not trusted yet (%v); retrying every %s in the background\n", err, cfg.RetryInterval)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(cfg.RetryInterval):
		}
	}
}

// buildRegistry fetches and verifies the e-service metadata once.
func buildRegistry(ctx context.Context, cfg *resolved, log *slog.Logger) (*partner.Registry, string, error) {
	src := partner.Source{
		Name: "e-service", Environment: partner.EnvTest, URL: cfg.SPMetadataURL,
		AllowInsecureHTTP: true, // loopback only: partner refuses other hosts
	}
	mode := ""
	cert, err := readCertificate(cfg.SPCertFile)
	switch {
	case err == nil:
		src.Verifier = &dsig.Verifier{Certificates: []*x509.Certificate{cert}}
		mode = "signature verified with " + cfg.SPCertFile
	case errors.Is(err, ErrCertMissing) && cfg.AllowUnsignedMetadata:
		src.AllowUnsigned = true
		mode = "UNSIGNED metadata accepted (-allow-unsigned-metadata, development only)"
	default:
		return nil, "", err
	}
	reg, err := partner.New(ctx, partner.Config{
		Environment: partner.EnvTest, Sources: []partner.Source{src},
		RefreshInterval: refreshInterval, MinRefresh: minRefresh, RetryMax: -1,
		FetchTimeout: 10 * time.Second, Now: cfg.Now, Logger: log,
	})
	return reg, mode, err
}

// readCertificate reads one PEM certificate; ErrCertMissing when path is
// empty or the file does not exist.
func readCertificate(path string) (*x509.Certificate, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: no -sp-cert given", ErrCertMissing)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrCertMissing, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataDir, err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: %s holds no PEM certificate", ErrDataDir, path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDataDir, path, err)
	}
	return cert, nil
}

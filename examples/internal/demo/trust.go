package demo

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/partner"
)

// Metadata refresh schedule of the partner registry: short, because the
// two examples restart often during development.
const (
	refreshInterval = 5 * time.Minute
	minRefresh      = 10 * time.Second
)

// TrustConfig says where an example fetches its peer's metadata and how it
// trusts it. The Err fields are the example's own sentinels, wrapped around
// the errors returned so its callers keep matching them with errors.Is.
type TrustConfig struct {
	Peer          string   // the peer's name, e.g. "issuer"
	Self          string   // this example's log prefix, e.g. "eservice"
	URL           string   // the peer's metadata URL
	URLFlag       string   // the flag that set URL, for error messages
	Entities      []string // entityIDs accepted from the document; nil means any
	CertFile      string   // the peer's signing certificate (PEM)
	CertFlag      string   // the flag that set CertFile
	AllowUnsigned bool     // development fallback when CertFile is absent
	RetryInterval time.Duration
	Stdout        io.Writer
	Now           func() time.Time

	ErrConfig, ErrCertMissing, ErrDataDir error
}

// Trusted is the peer source of an example (sp.IdPSource or idp.SPSource).
// The peer may start later, and partner.New fails while its metadata URL
// does not answer, so the registry is built in the background (Watch) and,
// until then, every lookup reports partner.ErrUnknownPartner: nothing is
// trusted before its metadata has been fetched and verified. The zero value
// is ready to use.
type Trusted struct {
	reg  atomic.Pointer[partner.Registry]
	mode atomic.Pointer[string] // how the metadata was trusted, for pages
}

// Lookup implements the templates' partner source interfaces.
func (t *Trusted) Lookup(ctx context.Context, entityID string) (*partner.Partner, error) {
	reg := t.reg.Load()
	if reg == nil {
		return nil, &partner.LookupError{EntityID: entityID, Environment: partner.EnvTest, Err: partner.ErrUnknownPartner}
	}
	return reg.Lookup(ctx, entityID)
}

// Status returns the trusted partners and how they were trusted; nil
// partners while the metadata has not been loaded yet.
func (t *Trusted) Status() ([]*partner.Partner, string) {
	reg := t.reg.Load()
	if reg == nil {
		return nil, ""
	}
	return reg.Partners(), *t.mode.Load()
}

// Watch builds the registry, retrying every cfg.RetryInterval until it
// succeeds or ctx ends, then refreshes it until ctx ends. A configuration
// error the registry reports (e.g. a non-loopback http URL) is returned at
// once, wrapped in cfg.ErrConfig.
func (t *Trusted) Watch(ctx context.Context, cfg TrustConfig, log *slog.Logger) error {
	var last string
	for {
		reg, mode, err := BuildRegistry(ctx, cfg, log)
		if err == nil {
			t.mode.Store(&mode)
			t.reg.Store(reg)
			log.Info(cfg.Self+": "+cfg.Peer+" metadata loaded", "url", cfg.URL, "trust", mode)
			return reg.Run(ctx)
		}
		if errors.Is(err, partner.ErrInvalidConfig) {
			return fmt.Errorf("%w: %s: %w", cfg.ErrConfig, cfg.URLFlag, err)
		}
		if msg := err.Error(); msg != last {
			last = msg
			fmt.Fprintf(cfg.Stdout, "note: %s metadata not trusted yet (%v); retrying every %s in the background\n", cfg.Peer, err, cfg.RetryInterval)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(cfg.RetryInterval):
		}
	}
}

// BuildRegistry fetches and verifies the peer's metadata once.
func BuildRegistry(ctx context.Context, cfg TrustConfig, log *slog.Logger) (*partner.Registry, string, error) {
	src := partner.Source{
		Name: cfg.Peer, Environment: partner.EnvTest, URL: cfg.URL, Entities: cfg.Entities,
		AllowInsecureHTTP: true, // loopback only: partner refuses other hosts
	}
	mode := ""
	cert, err := ReadCertificate(cfg.CertFile, cfg)
	switch {
	case err == nil:
		src.Verifier = &dsig.Verifier{Certificates: []*x509.Certificate{cert}}
		mode = "signature verified with " + cfg.CertFile
	case errors.Is(err, cfg.ErrCertMissing) && cfg.AllowUnsigned:
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

// ReadCertificate reads one PEM certificate from path; cfg.ErrCertMissing
// when path is empty or the file does not exist, cfg.ErrDataDir when it is
// unusable.
func ReadCertificate(path string, cfg TrustConfig) (*x509.Certificate, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: no %s given", cfg.ErrCertMissing, cfg.CertFlag)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", cfg.ErrCertMissing, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", cfg.ErrDataDir, err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: %s holds no PEM certificate", cfg.ErrDataDir, path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", cfg.ErrDataDir, path, err)
	}
	return cert, nil
}

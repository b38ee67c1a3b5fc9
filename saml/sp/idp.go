package sp

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// staticIdP serves Config.IdPMetadata.
type staticIdP struct{ p *partner.Partner }

var (
	_ IdPSource = staticIdP{}
	_ IdPSource = (*partner.Registry)(nil)
)

func (s staticIdP) Lookup(_ context.Context, entityID string) (*partner.Partner, error) {
	if entityID != s.p.EntityID {
		return nil, partner.ErrUnknownPartner
	}
	p := *s.p
	return &p, nil
}

// trustedIdP is a usable IdP for one message: not suspended, metadata valid
// now, with its signing certificates.
type trustedIdP struct {
	*partner.Partner
	certs []*x509.Certificate
}

// lookupIdP resolves the configured IdP and checks that it may be used now.
func (sp *SP) lookupIdP(ctx context.Context) (*trustedIdP, error) {
	p, err := sp.idp.Lookup(ctx, sp.cfg.IdPEntityID)
	if err != nil {
		var le *partner.LookupError
		switch {
		case errors.Is(err, partner.ErrSuspended):
			notice := ""
			if errors.As(err, &le) {
				notice = le.Notice
			} else if p != nil {
				notice = p.SuspendedNotice
			}
			return nil, &SuspendedError{Notice: notice, Cause: err}
		case errors.Is(err, partner.ErrExpired), errors.Is(err, metadata.ErrExpired):
			return nil, fmt.Errorf("%w: %w", ErrIdPExpired, err)
		default:
			return nil, fmt.Errorf("%w: %w", ErrUnknownIdP, err)
		}
	}
	if p == nil || p.Metadata == nil || p.Metadata.IDP == nil || p.EntityID != sp.cfg.IdPEntityID {
		return nil, fmt.Errorf("%w: no IdP metadata for %q", ErrUnknownIdP, sp.cfg.IdPEntityID)
	}
	if p.Suspended {
		return nil, &SuspendedError{Notice: p.SuspendedNotice}
	}
	if p.Metadata.IDP.ValidUntil.IsZero() && p.Metadata.ValidUntil.IsZero() && !p.ValidUntil.IsZero() && !sp.cfg.now().Before(p.ValidUntil) {
		return nil, fmt.Errorf("%w: validUntil %s has passed", ErrIdPExpired, p.ValidUntil)
	}
	if err := p.Metadata.Valid(sp.cfg.now()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrIdPExpired, err)
	}
	certs := p.Metadata.IDP.SigningCertificates()
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w: IdP metadata has no signing certificate", ErrUnknownIdP)
	}
	return &trustedIdP{Partner: p, certs: certs}, nil
}

// SuspendedError reports a suspended IdP (N25) with the notice to show. It
// unwraps to ErrIdPSuspended.
type SuspendedError struct {
	// Notice is the operator's notice for users; may be empty.
	Notice string
	// Cause is the partner registry's error, if any.
	Cause error
}

// Error implements error.
func (e *SuspendedError) Error() string {
	if e.Notice == "" {
		return ErrIdPSuspended.Error()
	}
	return ErrIdPSuspended.Error() + ": " + e.Notice
}

// Unwrap returns ErrIdPSuspended and the cause.
func (e *SuspendedError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrIdPSuspended, e.Cause}
	}
	return []error{ErrIdPSuspended}
}

package idp

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// Request is a verified AuthnRequest: its signature checked against the
// SP's metadata, its ACS taken from that metadata. Treat it as read-only.
type Request struct {
	// AuthnRequest is the parsed message.
	AuthnRequest *saml.AuthnRequest
	// SP is the requesting service provider.
	SP *partner.Partner
	// ACS is the endpoint the response goes to, from the SP's metadata.
	ACS metadata.IndexedEndpoint
	// Binding is the binding the request arrived on.
	Binding string
	// RelayState is echoed back byte for byte.
	RelayState string
	// Requirements are the level-of-assurance demands of the request: its
	// RequestedAuthnContext, NIAS condition and STORK QAA extension, each
	// of which the achieved level must satisfy. Empty means any level.
	Requirements []loa.Requested
	// Signed reports whether the request carried a valid signature.
	Signed bool
	// ReceivedAt is when the request arrived.
	ReceivedAt time.Time
	// LoginURL is the login endpoint; an Authenticator's forms post there.
	LoginURL string
}

// ParseAuthnRequest reads and verifies an AuthnRequest from r: HTTP-Redirect
// (GET, query signature verified over the raw octets) or HTTP-POST (POST,
// enveloped signature). It checks, in order: decoding and size limits;
// the safe XML parser (no DOCTYPE); Issuer naming a trusted SP; the
// signature with that SP's metadata certificates (required unless
// Config.AllowUnsignedRequests); Destination equal to the SSO URL; the ACS
// (URL exactly as listed, or index, or the default) with the HTTP-POST
// binding; IssueInstant within RequestMaxAge and ClockSkew; the request ID
// not replayed; the requested level of assurance.
//
// Errors before the ACS is trusted are plain errors (show a page, never
// answer to an unverified ACS); later ones are *RefusedError carrying the
// Request and the status for the SP.
func (p *IdP) ParseAuthnRequest(ctx context.Context, r *http.Request) (*Request, error) {
	raw, relay, redirect, err := p.decodeRequest(r)
	if err != nil {
		return nil, err
	}
	bindingURI := saml.BindingHTTPPOST
	if redirect != nil {
		bindingURI = saml.BindingHTTPRedirect
	}
	doc, err := saml.ParseXML(raw, saml.Limits{MaxBytes: int(p.cfg.MaxBodyBytes)})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	ar, err := saml.ParseAuthnRequest(doc.Root())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	sp, certs, err := p.lookupSP(ctx, ar.Issuer)
	if err != nil && !errors.Is(err, ErrSPSuspended) {
		return nil, err
	}
	suspended := err
	signed, err := p.verifyRequest(ar.Raw, redirect, certs)
	if err != nil {
		return nil, err
	}
	if ar.Destination != "" && ar.Destination != p.cfg.ssoURL() || signed && ar.Destination == "" {
		return nil, fmt.Errorf("%w: %q", ErrDestination, ar.Destination)
	}
	acs, err := selectACS(sp.Metadata.SP, ar)
	if err != nil {
		return nil, err
	}
	now := p.cfg.Now()
	req := &Request{AuthnRequest: ar, SP: sp, ACS: acs, Binding: bindingURI, RelayState: relay,
		Signed: signed, ReceivedAt: now, LoginURL: p.cfg.loginURL()}
	// From here on the ACS is trusted: failures go back to the SP.
	if suspended != nil {
		return nil, refuse(req, saml.StatusResponder, saml.StatusRequestDenied, sp.SuspendedNotice, suspended)
	}
	if err := p.checkRequest(ctx, req); err != nil {
		return nil, err
	}
	return req, nil
}

// decodeRequest decodes the binding: the raw XML, RelayState and, for
// HTTP-Redirect, the message whose query signature is to be verified.
func (p *IdP) decodeRequest(r *http.Request) ([]byte, string, *binding.RedirectMessage, error) {
	lim := binding.Limits{MaxMessageBytes: p.cfg.MaxBodyBytes, MaxEncodedBytes: 2 * p.cfg.MaxBodyBytes}
	switch r.Method {
	case http.MethodGet:
		m, err := binding.DecodeRedirect(r, lim)
		if err != nil {
			return nil, "", nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if m.Param != binding.ParamRequest {
			return nil, "", nil, fmt.Errorf("%w: expected SAMLRequest", ErrMalformed)
		}
		return m.XML, m.RelayState, m, nil
	case http.MethodPost:
		m, err := binding.DecodePOST(r, lim)
		if err != nil {
			return nil, "", nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if m.Param != binding.ParamRequest {
			return nil, "", nil, fmt.Errorf("%w: expected SAMLRequest", ErrMalformed)
		}
		return m.XML, m.RelayState, nil, nil
	default:
		return nil, "", nil, fmt.Errorf("%w: method %s", ErrMalformed, r.Method)
	}
}

// lookupSP resolves the Issuer to a trusted SP and its signing
// certificates. A suspended SP is returned with an error matching
// ErrSPSuspended, so the request can still be verified and refused.
func (p *IdP) lookupSP(ctx context.Context, issuer *saml.NameID) (*partner.Partner, []*x509.Certificate, error) {
	if issuer == nil || issuer.Value == "" {
		return nil, nil, fmt.Errorf("%w: missing", ErrIssuer)
	}
	if issuer.Format != "" && issuer.Format != saml.NameIDFormatEntity {
		return nil, nil, fmt.Errorf("%w: format %q", ErrIssuer, issuer.Format)
	}
	sp, err := p.cfg.SPs.Lookup(ctx, issuer.Value)
	var suspended error
	switch {
	case err == nil:
	case errors.Is(err, partner.ErrSuspended) && sp != nil:
		suspended = fmt.Errorf("%w: %w", ErrSPSuspended, err)
		if sp.SuspendedNotice == "" {
			var le *partner.LookupError
			if errors.As(err, &le) {
				sp.SuspendedNotice = le.Notice
			}
		}
	case errors.Is(err, partner.ErrExpired), errors.Is(err, metadata.ErrExpired):
		return nil, nil, fmt.Errorf("%w: %q: %w", ErrSPExpired, issuer.Value, err)
	default:
		return nil, nil, fmt.Errorf("%w: %q: %w", ErrUnknownSP, issuer.Value, err)
	}
	if sp == nil || sp.EntityID != issuer.Value || sp.Metadata == nil || sp.Metadata.SP == nil {
		return nil, nil, fmt.Errorf("%w: %q has no SP metadata", ErrUnknownSP, issuer.Value)
	}
	if sp.Suspended && suspended == nil {
		suspended = fmt.Errorf("%w: %q", ErrSPSuspended, issuer.Value)
	}
	if err := sp.Metadata.Valid(p.cfg.Now()); err != nil {
		return nil, nil, fmt.Errorf("%w: %q: %w", ErrSPExpired, issuer.Value, err)
	}
	return sp, sp.Metadata.SP.SigningCertificates(), suspended
}

// verifyRequest checks the query signature (Redirect) or the enveloped
// signature; it reports whether the message was signed.
func (p *IdP) verifyRequest(el *etree.Element, redirect *binding.RedirectMessage, certs []*x509.Certificate) (bool, error) {
	switch {
	case redirect != nil && redirect.Signed():
		if _, err := redirect.Verify(certs, p.cfg.SignaturePolicy); err != nil {
			return false, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return true, nil
	case dsig.HasSignature(el):
		v := dsig.Verifier{Certificates: certs, Policy: p.cfg.SignaturePolicy}
		if _, err := v.Verify(el); err != nil {
			return false, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return true, nil
	case p.cfg.AllowUnsignedRequests:
		return false, nil
	default:
		return false, ErrUnsigned
	}
}

// selectACS picks the ACS from metadata only (CVE-2023-45683): the URL must
// be listed exactly, an index must exist, neither means the default. The
// response is sent with HTTP-POST, so the endpoint must have that binding.
func selectACS(md *metadata.SPSSODescriptor, ar *saml.AuthnRequest) (metadata.IndexedEndpoint, error) {
	if ar.AssertionConsumerServiceURL != "" && ar.AssertionConsumerServiceIndex != nil {
		return metadata.IndexedEndpoint{}, fmt.Errorf("%w: both URL and index given", ErrACS)
	}
	if ar.ProtocolBinding != "" && ar.ProtocolBinding != saml.BindingHTTPPOST {
		return metadata.IndexedEndpoint{}, fmt.Errorf("%w: ProtocolBinding %q", ErrUnsupported, ar.ProtocolBinding)
	}
	switch {
	case ar.AssertionConsumerServiceURL != "":
		for _, e := range md.AssertionConsumerServices {
			if e.Location == ar.AssertionConsumerServiceURL && e.Binding == saml.BindingHTTPPOST {
				return e, nil
			}
		}
		return metadata.IndexedEndpoint{}, fmt.Errorf("%w: %q", ErrACS, ar.AssertionConsumerServiceURL)
	case ar.AssertionConsumerServiceIndex != nil:
		e, err := md.ACSByIndex(*ar.AssertionConsumerServiceIndex)
		if err != nil || e.Binding != saml.BindingHTTPPOST {
			return metadata.IndexedEndpoint{}, fmt.Errorf("%w: index %d", ErrACS, *ar.AssertionConsumerServiceIndex)
		}
		return e, nil
	default:
		e, err := md.ACSByBinding(saml.BindingHTTPPOST)
		if err != nil {
			return metadata.IndexedEndpoint{}, fmt.Errorf("%w: no HTTP-POST ACS: %w", ErrACS, err)
		}
		return e, nil
	}
}

// checkRequest applies the checks that are answered to the SP: time
// window, replay, unsupported features and the requested level.
func (p *IdP) checkRequest(ctx context.Context, req *Request) error {
	ar, now := req.AuthnRequest, req.ReceivedAt
	if ar.IssueInstant.After(now.Add(p.cfg.ClockSkew)) || ar.IssueInstant.Before(now.Add(-p.cfg.RequestMaxAge-p.cfg.ClockSkew)) {
		return refuse(req, saml.StatusRequester, saml.StatusRequestDenied, "request expired",
			fmt.Errorf("%w: IssueInstant %s", ErrExpired, saml.FormatTime(ar.IssueInstant)))
	}
	expires := ar.IssueInstant.Add(p.cfg.RequestMaxAge + 2*p.cfg.ClockSkew)
	if err := p.replay.Add(ctx, "authn\x00"+req.SP.EntityID+"\x00"+ar.ID, expires, now); err != nil {
		return refuse(req, saml.StatusRequester, saml.StatusRequestDenied, "request replayed", fmt.Errorf("%w: %w", ErrReplayed, err))
	}
	if ar.Subject != nil {
		return refuse(req, saml.StatusRequester, saml.StatusRequestUnsupported, "Subject not supported",
			fmt.Errorf("%w: Subject in AuthnRequest", ErrUnsupported))
	}
	if err := p.parseRequirements(req); err != nil {
		return refuse(req, saml.StatusRequester, saml.StatusNoAuthnContext, "invalid level of assurance", err)
	}
	if !p.reachable(req) {
		return refuse(req, saml.StatusRequester, saml.StatusNoAuthnContext, "", ErrNoAuthnContext)
	}
	if err := p.checkNameIDPolicy(ar.NameIDPolicy); err != nil {
		return refuse(req, saml.StatusRequester, saml.StatusInvalidNameIDPolicy, "", err)
	}
	return nil
}

// parseRequirements reads RequestedAuthnContext, the NIAS condition and the
// STORK QAA extension into req.Requirements.
func (p *IdP) parseRequirements(req *Request) error {
	ar, reg := req.AuthnRequest, p.cfg.LoA
	if rac := ar.RequestedAuthnContext; rac != nil {
		r, err := reg.ParseRequested(rac.Comparison, rac.ClassRefs)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNoAuthnContext, err)
		}
		req.Requirements = append(req.Requirements, r)
	}
	if ar.Conditions != nil {
		l, ok, err := reg.FindNIASCondition(ar.Conditions)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNoAuthnContext, err)
		}
		if ok {
			req.Requirements = append(req.Requirements, loa.Minimum(l))
		}
	}
	if ext := ar.Raw.SelectElement("Extensions"); ext != nil && ext.NamespaceURI() == saml.NSProtocol {
		l, ok, err := loa.FindSTORKQAA(ext)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNoAuthnContext, err)
		}
		if ok {
			req.Requirements = append(req.Requirements, loa.Minimum(l))
		}
	}
	return nil
}

// reachable reports whether one of the configured levels satisfies every
// requirement of req.
func (p *IdP) reachable(req *Request) bool {
	for _, l := range p.cfg.Levels {
		if p.satisfies(l, req) {
			return true
		}
	}
	return false
}

// satisfies reports whether level l meets every requirement of req.
func (p *IdP) satisfies(l loa.Level, req *Request) bool {
	if !l.Valid() {
		return false
	}
	for _, r := range req.Requirements {
		if !p.cfg.LoA.Satisfies(l, r) {
			return false
		}
	}
	return true
}

package idp

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// LogoutRequest is a verified LogoutRequest from a session participant.
type LogoutRequest struct {
	// Message is the parsed request.
	Message *saml.LogoutRequest
	// SP is the sender.
	SP *partner.Partner
	// Binding is the binding it arrived on.
	Binding string
	// RelayState is echoed back.
	RelayState string
}

// ParseLogoutRequest reads and verifies a LogoutRequest arriving at the SLO
// endpoint (HTTP-Redirect or HTTP-POST) or, with soap set, the SOAP
// endpoint. The signature is always required and verified with the SP's
// metadata certificates only (logout forgery); Issuer must be a trusted SP,
// Destination the endpoint, IssueInstant within the window, NotOnOrAfter
// not passed and the ID not replayed. A suspended SP may still log out.
func (p *IdP) ParseLogoutRequest(ctx context.Context, r *http.Request, soap bool) (*LogoutRequest, error) {
	d, err := p.decodeLogout(r, soap)
	if err != nil {
		return nil, err
	}
	return p.verifyLogoutRequest(ctx, d)
}

// decoded is a logout message off the wire, not yet verified.
type decoded struct {
	el       *etree.Element
	relay    string
	redirect *binding.RedirectMessage
	binding  string
	param    string
}

// verifyLogoutRequest applies the checks of ParseLogoutRequest.
func (p *IdP) verifyLogoutRequest(ctx context.Context, d *decoded) (*LogoutRequest, error) {
	if d.param != binding.ParamRequest {
		return nil, fmt.Errorf("%w: expected SAMLRequest", ErrMalformed)
	}
	lr, err := saml.ParseLogoutRequest(d.el)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	sp, certs, err := p.lookupSP(ctx, lr.Issuer)
	if err != nil && !errors.Is(err, ErrSPSuspended) {
		return nil, err
	}
	if err := p.verifyMessage(d.el, d.redirect, certs); err != nil {
		return nil, err
	}
	want := p.cfg.sloURL()
	if d.binding == saml.BindingSOAP {
		want = p.cfg.sloSOAPURL()
	}
	if lr.Destination != want && (d.binding != saml.BindingSOAP || lr.Destination != "") {
		return nil, fmt.Errorf("%w: %q", ErrDestination, lr.Destination)
	}
	now := p.cfg.Now()
	if lr.IssueInstant.After(now.Add(p.cfg.ClockSkew)) || lr.IssueInstant.Before(now.Add(-p.cfg.RequestMaxAge-p.cfg.ClockSkew)) {
		return nil, fmt.Errorf("%w: IssueInstant %s", ErrExpired, saml.FormatTime(lr.IssueInstant))
	}
	if !lr.NotOnOrAfter.IsZero() && !now.Before(lr.NotOnOrAfter.Add(p.cfg.ClockSkew)) {
		return nil, fmt.Errorf("%w: NotOnOrAfter %s", ErrExpired, saml.FormatTime(lr.NotOnOrAfter))
	}
	expires := lr.IssueInstant.Add(p.cfg.RequestMaxAge + 2*p.cfg.ClockSkew)
	if err := p.replay.Add(ctx, "logout\x00"+sp.EntityID+"\x00"+lr.ID, expires, now); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrReplayed, err)
	}
	if lr.NameID == nil {
		return nil, fmt.Errorf("%w: only a plain NameID is supported", ErrUnsupported)
	}
	return &LogoutRequest{Message: lr, SP: sp, Binding: d.binding, RelayState: d.relay}, nil
}

// decodeLogout decodes a logout message from the front channel (either
// parameter) or the SOAP body.
func (p *IdP) decodeLogout(r *http.Request, soap bool) (*decoded, error) {
	if soap {
		el, err := binding.ReadSOAP(r, saml.Limits{MaxBytes: int(p.cfg.MaxBodyBytes)})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		return &decoded{el: el, binding: saml.BindingSOAP, param: binding.ParamRequest}, nil
	}
	var xml []byte
	d := &decoded{}
	lim := binding.Limits{MaxMessageBytes: p.cfg.MaxBodyBytes, MaxEncodedBytes: 2 * p.cfg.MaxBodyBytes}
	if r.Method == http.MethodGet {
		m, err := binding.DecodeRedirect(r, lim)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		xml, d.relay, d.param, d.redirect, d.binding = m.XML, m.RelayState, m.Param, m, saml.BindingHTTPRedirect
	} else {
		m, err := binding.DecodePOST(r, lim)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		xml, d.relay, d.param, d.binding = m.XML, m.RelayState, m.Param, saml.BindingHTTPPOST
	}
	doc, err := saml.ParseXML(xml, saml.Limits{MaxBytes: int(p.cfg.MaxBodyBytes)})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	d.el = doc.Root()
	return d, nil
}

// verifyMessage requires a valid query or enveloped signature.
func (p *IdP) verifyMessage(el *etree.Element, redirect *binding.RedirectMessage, certs []*x509.Certificate) error {
	switch {
	case redirect != nil && redirect.Signed():
		if _, err := redirect.Verify(certs, p.cfg.SignaturePolicy); err != nil {
			return fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
	case dsig.HasSignature(el):
		v := dsig.Verifier{Certificates: certs, Policy: p.cfg.SignaturePolicy}
		if _, err := v.Verify(el); err != nil {
			return fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
	default:
		return ErrUnsigned
	}
	return nil
}

// matchLogout finds the session lr names: the browser's (front channel)
// or the one holding its SessionIndex. The NameID must be the one issued
// to that SP and every SessionIndex given must be that SP's; otherwise
// ErrLogoutMismatch and nothing changes. A nil session with no error means
// there is nothing left to end.
func (p *IdP) matchLogout(ctx context.Context, lr *LogoutRequest, cookie *Session) (*Session, error) {
	sess := cookie
	if sess == nil {
		for _, idx := range lr.Message.SessionIndexes {
			s, err := p.sessions.BySessionIndex(ctx, idx, p.cfg.Now())
			if err == nil {
				sess = s
				break
			}
		}
	}
	if sess == nil {
		return nil, nil
	}
	part := sess.participant(lr.SP.EntityID)
	n := lr.Message.NameID
	if part == nil || n.Value != part.NameID.Value || (n.Format != "" && n.Format != part.NameID.Format) {
		return nil, ErrLogoutMismatch
	}
	for _, idx := range lr.Message.SessionIndexes {
		if idx != part.SessionIndex {
			return nil, ErrLogoutMismatch
		}
	}
	return sess, nil
}

// serveSLOSOAP handles a back-channel LogoutRequest: it ends the session,
// propagates to the other participants over SOAP and answers a signed
// LogoutResponse (Success, or Success/PartialLogout).
func (p *IdP) serveSLOSOAP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lr, err := p.ParseLogoutRequest(ctx, r, true)
	if err != nil {
		p.log(ctx, "SOAP logout refused", err)
		// The sender is not verified, so there is no one to address a
		// signed LogoutResponse to: answer with a fault that reveals nothing.
		f := &binding.Fault{Code: binding.FaultClient, String: "request refused"}
		if errors.Is(err, binding.ErrVersionMismatch) || errors.Is(err, binding.ErrMustUnderstand) {
			f = binding.FaultFor(err)
		}
		_ = binding.WriteSOAPFault(w, f)
		return
	}
	st := p.endSession(ctx, lr)
	xml, err := p.logoutResponse(lr, st, "")
	if err != nil {
		p.log(ctx, "SOAP logout response failed", err)
		_ = binding.WriteSOAPFault(w, &binding.Fault{Code: binding.FaultServer, String: "internal error"})
		return
	}
	_ = binding.WriteSOAP(w, xml)
}

// endSession checks a back-channel lr against the session it names and
// ends it, propagating over SOAP to the other participants; those without
// a SOAP endpoint cannot be reached without a browser and make the logout
// partial. It returns the status for the LogoutResponse.
func (p *IdP) endSession(ctx context.Context, lr *LogoutRequest) *saml.Status {
	sess, err := p.matchLogout(ctx, lr, nil)
	if err != nil {
		p.log(ctx, "logout refused", err)
		return &saml.Status{Code: saml.StatusRequester, SubCode: saml.StatusRequestDenied}
	}
	if sess == nil {
		return &saml.Status{Code: saml.StatusSuccess}
	}
	if err := p.sessions.Delete(ctx, sess.ID); err != nil {
		p.log(ctx, "session delete failed", err)
		return &saml.Status{Code: saml.StatusResponder}
	}
	others := slices.DeleteFunc(slices.Clone(sess.Participants), func(pt Participant) bool { return pt.SP == lr.SP.EntityID })
	front, partial := p.propagateSOAP(ctx, others)
	if partial || len(front) > 0 {
		return &saml.Status{Code: saml.StatusSuccess, SubCode: saml.StatusPartialLogout}
	}
	return &saml.Status{Code: saml.StatusSuccess}
}

// propagateSOAP sends a LogoutRequest over SOAP to every participant with
// a SOAP SLO endpoint. It returns the participants left for the front
// channel and whether any logout failed.
func (p *IdP) propagateSOAP(ctx context.Context, parts []Participant) (front []Participant, partial bool) {
	for _, pt := range parts {
		sp, ep, err := p.participantEndpoint(ctx, pt, saml.BindingSOAP)
		if err != nil {
			front = append(front, pt)
			continue
		}
		if err := p.callSOAPLogout(ctx, sp, ep, pt); err != nil {
			p.log(ctx, "SOAP logout propagation failed", err)
			partial = true
		}
	}
	return front, partial
}

// participantEndpoint resolves a participant's SLO endpoint for binding.
func (p *IdP) participantEndpoint(ctx context.Context, pt Participant, bindingURI string) (*partner.Partner, metadata.Endpoint, error) {
	sp, err := p.cfg.SPs.Lookup(ctx, pt.SP)
	if err != nil && !errors.Is(err, partner.ErrSuspended) {
		return nil, metadata.Endpoint{}, fmt.Errorf("%w: %w", ErrUnknownSP, err)
	}
	if sp == nil || sp.Metadata == nil || sp.Metadata.SP == nil {
		return nil, metadata.Endpoint{}, ErrUnknownSP
	}
	ep, err := sp.Metadata.SP.SLOEndpoint(bindingURI)
	if err != nil {
		return nil, metadata.Endpoint{}, err
	}
	return sp, ep, nil
}

// callSOAPLogout sends one signed LogoutRequest over SOAP and checks the
// signed answer.
func (p *IdP) callSOAPLogout(ctx context.Context, sp *partner.Partner, ep metadata.Endpoint, pt Participant) error {
	lr, err := p.newLogoutRequest(ep.Location, pt)
	if err != nil {
		return err
	}
	el := lr.Element()
	if err := p.signerFor(sp.Metadata).Sign(el); err != nil {
		return err
	}
	xml, err := serialize(el)
	if err != nil {
		return err
	}
	ans, err := p.soap.Call(ctx, ep.Location, xml)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrLogoutFailed, err)
	}
	return p.checkLogoutResponse(ans, nil, sp, lr.ID)
}

// checkLogoutResponse verifies a participant's LogoutResponse.
func (p *IdP) checkLogoutResponse(el *etree.Element, redirect *binding.RedirectMessage, sp *partner.Partner, requestID string) error {
	resp, err := saml.ParseLogoutResponse(el)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if resp.Issuer == nil || resp.Issuer.Value != sp.EntityID {
		return fmt.Errorf("%w: LogoutResponse issuer", ErrIssuer)
	}
	if err := p.verifyMessage(el, redirect, sp.Metadata.SP.SigningCertificates()); err != nil {
		return err
	}
	if resp.InResponseTo != requestID {
		return fmt.Errorf("%w: InResponseTo %q", ErrLogoutFailed, resp.InResponseTo)
	}
	if err := resp.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrLogoutFailed, err)
	}
	return nil
}

// newLogoutRequest builds the request the issuer sends to a participant.
func (p *IdP) newLogoutRequest(dest string, pt Participant) (*saml.LogoutRequest, error) {
	id, err := saml.NewID(p.cfg.Rand)
	if err != nil {
		return nil, err
	}
	now := p.cfg.Now()
	n := pt.NameID
	return &saml.LogoutRequest{ID: id, IssueInstant: now, Destination: dest,
		Issuer:       &saml.NameID{Value: p.cfg.EntityID, Format: saml.NameIDFormatEntity},
		NotOnOrAfter: now.Add(p.cfg.AssertionLifetime), Reason: saml.LogoutReasonUser,
		NameID: &n, SessionIndexes: []string{pt.SessionIndex}}, nil
}

// logoutResponse builds the signed LogoutResponse to lr (for SOAP and
// POST; the Redirect writer strips the signature and signs the query).
func (p *IdP) logoutResponse(lr *LogoutRequest, st *saml.Status, dest string) ([]byte, error) {
	el, err := p.logoutResponseElement(lr, st, dest)
	if err != nil {
		return nil, err
	}
	if err := p.signerFor(lr.SP.Metadata).Sign(el); err != nil {
		return nil, err
	}
	return serialize(el)
}

func (p *IdP) logoutResponseElement(lr *LogoutRequest, st *saml.Status, dest string) (*etree.Element, error) {
	id, err := saml.NewID(p.cfg.Rand)
	if err != nil {
		return nil, err
	}
	resp := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{ID: id, InResponseTo: lr.Message.ID,
		IssueInstant: p.cfg.Now(), Destination: dest, Status: st,
		Issuer: &saml.NameID{Value: p.cfg.EntityID, Format: saml.NameIDFormatEntity}}}
	return resp.Element(), nil
}

package sp

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
)

// logoutLifetime is the NotOnOrAfter of the LogoutRequests this SP sends
// and how long it waits for the LogoutResponse.
const logoutLifetime = 5 * time.Minute

// LogoutTarget names the sessions a LogoutRequest ends: those of NameID at
// Issuer, limited to SessionIndexes when any are given (SAML core §3.7.3.2).
type LogoutTarget struct {
	Issuer         string
	NameID         string
	SessionIndexes []string
}

// StartLogout ends the browser's session here at once and, when the IdP
// offers single logout on a front-channel binding, sends it a signed
// LogoutRequest for the session's NameID and SessionIndex (N14); the
// LogoutResponse comes back to the SLO endpoint. Without a session or an IdP
// endpoint the browser goes straight to Config.PostLogoutPath.
func (sp *SP) StartLogout(w http.ResponseWriter, r *http.Request) error {
	s, err := sp.Session(r)
	_ = sp.sessions.Delete(w, r)
	if err != nil {
		http.Redirect(w, r, sp.cfg.postLogoutPath, http.StatusSeeOther)
		return nil
	}
	if sp.cfg.OnLogout != nil {
		sp.cfg.OnLogout(w, r, s.Identity)
	}
	idp, err := sp.lookupIdP(r.Context())
	if err != nil {
		sp.cfg.log.WarnContext(r.Context(), "sp: local logout only", "error", err)
		http.Redirect(w, r, sp.cfg.postLogoutPath, http.StatusSeeOther)
		return nil
	}
	bind := sp.cfg.RequestBinding
	ep, err := idp.Metadata.IDP.SLOEndpoint(bind)
	if err != nil {
		http.Redirect(w, r, sp.cfg.postLogoutPath, http.StatusSeeOther)
		return nil
	}
	id, err := saml.NewID(sp.cfg.rand)
	if err != nil {
		return err
	}
	now := sp.cfg.now().UTC()
	who := s.Identity
	lr := &saml.LogoutRequest{ID: id, IssueInstant: now, Destination: ep.Location,
		Issuer:       &saml.NameID{Value: sp.cfg.EntityID, Format: saml.NameIDFormatEntity},
		NotOnOrAfter: now.Add(logoutLifetime), Reason: saml.LogoutReasonUser,
		NameID: &saml.NameID{Value: who.NameID, Format: who.NameIDFormat, NameQualifier: who.NameQualifier, SPNameQualifier: who.SPNameQualifier}}
	if who.SessionIndex != "" {
		lr.SessionIndexes = []string{who.SessionIndex}
	}
	name := sp.logoutCookieName()
	v, err := sp.reqSealer.seal(name, &logoutState{ID: id, Expires: now.Add(logoutLifetime).Unix()})
	if err != nil {
		return err
	}
	http.SetCookie(w, sp.cookie(name, v, logoutLifetime, true))
	return sp.sendWith(w, r, bind, lr.Element(), ep.Location, binding.ParamRequest, "")
}

// inbound is a front-channel logout message after binding decoding and
// signature verification.
type inbound struct {
	root       *etree.Element
	relayState string
	bind       string
}

func (sp *SP) serveSLORedirect(w http.ResponseWriter, r *http.Request) error {
	msg, err := binding.DecodeRedirect(r, sp.bindingLimits())
	if err != nil {
		return failCause(ErrMalformed, "SLO/Redirect", err)
	}
	idp, err := sp.lookupIdP(r.Context())
	if err != nil {
		return err
	}
	doc, err := saml.ParseXML(msg.XML, sp.cfg.Limits)
	if err != nil {
		return failCause(ErrMalformed, "SLO/XML", err)
	}
	// The query signature protects the message on this binding; an
	// enveloped XML signature is accepted instead (SAMLBind §3.4.4.1).
	if msg.Signed() {
		if _, err := msg.Verify(idp.certs, sp.cfg.SignaturePolicy); err != nil {
			return failCause(ErrBadSignature, "SLO/Redirect/Signature", err)
		}
	} else if err := verifyXML(doc.Root(), idp, sp.cfg.SignaturePolicy); err != nil {
		return err
	}
	return sp.serveSLO(w, r, idp, inbound{root: doc.Root(), relayState: msg.RelayState, bind: saml.BindingHTTPRedirect})
}

func (sp *SP) serveSLOPost(w http.ResponseWriter, r *http.Request) error {
	msg, err := binding.DecodePOST(r, sp.bindingLimits())
	if err != nil {
		return failCause(ErrMalformed, "SLO/POST", err)
	}
	idp, err := sp.lookupIdP(r.Context())
	if err != nil {
		return err
	}
	doc, err := saml.ParseXML(msg.XML, sp.cfg.Limits)
	if err != nil {
		return failCause(ErrMalformed, "SLO/XML", err)
	}
	if err := verifyXML(doc.Root(), idp, sp.cfg.SignaturePolicy); err != nil {
		return err
	}
	return sp.serveSLO(w, r, idp, inbound{root: doc.Root(), relayState: msg.RelayState, bind: saml.BindingHTTPPOST})
}

func verifyXML(el *etree.Element, idp *trustedIdP, p dsig.Policy) error {
	if !dsig.HasSignature(el) {
		return fail(ErrUnsigned, "SLO/Signature", "logout message is not signed")
	}
	v := &dsig.Verifier{Certificates: idp.certs, Policy: p}
	if _, err := v.Verify(el); err != nil {
		return failCause(ErrBadSignature, "SLO/Signature", err)
	}
	return nil
}

// serveSLO handles a verified front-channel LogoutRequest or LogoutResponse.
func (sp *SP) serveSLO(w http.ResponseWriter, r *http.Request, idp *trustedIdP, in inbound) error {
	if in.root.Tag == "LogoutResponse" && in.root.NamespaceURI() == saml.NSProtocol {
		return sp.finishLogout(w, r, in.root)
	}
	lr, err := saml.ParseLogoutRequest(in.root)
	if err != nil {
		return failCause(ErrMalformed, "LogoutRequest", err)
	}
	status := &saml.Status{Code: saml.StatusSuccess}
	s, sessErr := sp.Session(r)
	target, err := sp.acceptLogoutRequest(r.Context(), lr, sp.cfg.sloURL)
	if err != nil {
		return err
	}
	if sessErr == nil && matches(s.Identity, target) {
		_ = sp.sessions.Delete(w, r)
		if sp.cfg.OnLogout != nil {
			sp.cfg.OnLogout(w, r, s.Identity)
		}
	}
	ep, err := idp.Metadata.IDP.SLOEndpoint(in.bind)
	if err != nil {
		return failCause(ErrNoEndpoint, "SLO/Endpoint", err)
	}
	dest := ep.Location
	if ep.ResponseLocation != "" {
		dest = ep.ResponseLocation
	}
	resp, err := sp.logoutResponse(lr.ID, dest, status)
	if err != nil {
		return err
	}
	return sp.sendWith(w, r, in.bind, resp, dest, binding.ParamResponse, in.relayState)
}

// finishLogout checks the IdP's LogoutResponse against the logout this
// browser started and sends the user on.
func (sp *SP) finishLogout(w http.ResponseWriter, r *http.Request, root *etree.Element) error {
	resp, err := saml.ParseLogoutResponse(root)
	if err != nil {
		return failCause(ErrMalformed, "LogoutResponse", err)
	}
	if err := sp.checkIssuer(resp.Issuer, "LogoutResponse/Issuer"); err != nil {
		return err
	}
	if resp.Destination != "" && resp.Destination != sp.cfg.sloURL {
		return fail(ErrDestination, "LogoutResponse/Destination", "%q is not the SLO URL", resp.Destination)
	}
	name := sp.logoutCookieName()
	c, err := r.Cookie(name)
	var st logoutState
	if err != nil || sp.reqSealer.open(name, c.Value, &st) != nil {
		return fail(ErrLogout, "LogoutResponse/InResponseTo", "no logout outstanding in this browser")
	}
	sp.clearCookie(w, name, true)
	if st.ID != resp.InResponseTo || st.Expires <= sp.cfg.now().Unix() {
		return fail(ErrLogout, "LogoutResponse/InResponseTo", "does not answer this browser's logout")
	}
	if err := resp.Err(); err != nil {
		sp.cfg.log.WarnContext(r.Context(), "sp: IdP reports logout failure", "error", err)
	} else if resp.Partial() {
		sp.cfg.log.InfoContext(r.Context(), "sp: IdP reports partial logout")
	}
	http.Redirect(w, r, sp.cfg.postLogoutPath, http.StatusSeeOther)
	return nil
}

// acceptLogoutRequest checks a signature-verified LogoutRequest (issuer,
// destination, times, NameID, replay) and revokes the sessions it names.
func (sp *SP) acceptLogoutRequest(ctx context.Context, lr *saml.LogoutRequest, endpoint string) (LogoutTarget, error) {
	now := sp.cfg.now()
	if err := sp.checkIssuer(lr.Issuer, "LogoutRequest/Issuer"); err != nil {
		return LogoutTarget{}, err
	}
	if lr.Destination != "" && lr.Destination != endpoint {
		return LogoutTarget{}, fail(ErrDestination, "LogoutRequest/Destination", "%q is not %s", lr.Destination, endpoint)
	}
	if err := sp.checkInstant(lr.IssueInstant, now, "LogoutRequest/IssueInstant"); err != nil {
		return LogoutTarget{}, err
	}
	if !lr.NotOnOrAfter.IsZero() && !now.Before(lr.NotOnOrAfter.Add(sp.cfg.skew)) {
		return LogoutTarget{}, fail(ErrExpired, "LogoutRequest/NotOnOrAfter", "has passed")
	}
	if lr.NameID == nil || lr.NameID.Value == "" {
		return LogoutTarget{}, fail(ErrSubject, "LogoutRequest/NameID", "missing (BaseID and EncryptedID are not supported)")
	}
	exp := now.Add(sp.cfg.maxAge + sp.cfg.skew)
	if lr.NotOnOrAfter.After(exp) {
		exp = lr.NotOnOrAfter.Add(sp.cfg.skew)
	}
	fresh, err := sp.replay.Add(ctx, sp.cfg.IdPEntityID+"|logout:"+lr.ID, now, exp)
	if err != nil {
		return LogoutTarget{}, failCause(ErrCacheFull, "Replay", err)
	}
	if !fresh {
		return LogoutTarget{}, fail(ErrReplayed, "Replay", "LogoutRequest %s seen before", lr.ID)
	}
	t := LogoutTarget{Issuer: lr.Issuer.Value, NameID: lr.NameID.Value, SessionIndexes: lr.SessionIndexes}
	keys := []string{revocationKey(t.Issuer, t.NameID, "")}
	if len(t.SessionIndexes) > 0 {
		keys = keys[:0]
		for _, si := range t.SessionIndexes {
			keys = append(keys, revocationKey(t.Issuer, t.NameID, si))
		}
	}
	for _, k := range keys {
		if err := sp.revoked.Revoke(ctx, k, now, now.Add(sp.cfg.sessionMaxAge)); err != nil {
			return LogoutTarget{}, err
		}
	}
	if sp.cfg.OnRevoke != nil {
		sp.cfg.OnRevoke(ctx, t)
	}
	return t, nil
}

// matches reports whether the session identity is one the target names:
// same issuer and NameID, and one of the SessionIndexes when any are given.
func matches(id *Identity, t LogoutTarget) bool {
	if id.Issuer != t.Issuer || id.NameID != t.NameID {
		return false
	}
	if len(t.SessionIndexes) == 0 {
		return true
	}
	for _, si := range t.SessionIndexes {
		if si == id.SessionIndex {
			return true
		}
	}
	return false
}

// logoutResponse builds an unsigned LogoutResponse element.
func (sp *SP) logoutResponse(inResponseTo, dest string, st *saml.Status) (*etree.Element, error) {
	id, err := saml.NewID(sp.cfg.rand)
	if err != nil {
		return nil, err
	}
	resp := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{ID: id, InResponseTo: inResponseTo,
		IssueInstant: sp.cfg.now().UTC(), Destination: dest, Status: st,
		Issuer: &saml.NameID{Value: sp.cfg.EntityID, Format: saml.NameIDFormatEntity}}}
	return resp.Element(), nil
}

// serveSLOSOAP is the back-channel endpoint (N14, spec-digest §4.4): a
// signed LogoutRequest in a SOAP envelope; sessions are revoked and a signed
// LogoutResponse is answered. SAML-level failures get a LogoutResponse with
// status Requester; envelope failures a SOAP fault.
func (sp *SP) serveSLOSOAP(w http.ResponseWriter, r *http.Request) {
	el, err := binding.ReadSOAP(r, sp.cfg.Limits)
	if err != nil {
		sp.cfg.log.WarnContext(r.Context(), "sp: SOAP logout refused", "error", err)
		_ = binding.WriteSOAPFault(w, binding.FaultFor(err))
		return
	}
	status := &saml.Status{Code: saml.StatusSuccess}
	inResponseTo := ""
	if err := sp.soapLogout(r.Context(), el, &inResponseTo); err != nil {
		sp.cfg.log.WarnContext(r.Context(), "sp: SOAP logout refused", "error", err)
		status = &saml.Status{Code: saml.StatusRequester}
		if errors.Is(err, ErrIdPSuspended) || errors.Is(err, ErrUnknownIdP) || errors.Is(err, ErrIdPExpired) {
			status.Code = saml.StatusResponder
		}
	}
	dest := ""
	if idp, err := sp.lookupIdP(r.Context()); err == nil {
		if ep, err := idp.Metadata.IDP.SLOEndpoint(saml.BindingSOAP); err == nil {
			dest = ep.Location
		}
	}
	resp, err := sp.logoutResponse(inResponseTo, dest, status)
	if err == nil {
		err = sp.signer.Sign(resp)
	}
	var data []byte
	if err == nil {
		data, err = xmlBytes(resp)
	}
	if err != nil {
		_ = binding.WriteSOAPFault(w, &binding.Fault{Code: binding.FaultServer, String: "internal error"})
		return
	}
	_ = binding.WriteSOAP(w, data)
}

func (sp *SP) soapLogout(ctx context.Context, el *etree.Element, inResponseTo *string) error {
	lr, err := saml.ParseLogoutRequest(el)
	if err != nil {
		return failCause(ErrMalformed, "SOAP/LogoutRequest", err)
	}
	idp, err := sp.lookupIdP(ctx)
	if err != nil {
		return err
	}
	if err := verifyXML(el, idp, sp.cfg.SignaturePolicy); err != nil {
		return err
	}
	*inResponseTo = lr.ID
	_, err = sp.acceptLogoutRequest(ctx, lr, sp.cfg.sloSOAPURL)
	return err
}

// sendWith sends el over a front-channel binding: POST signs the XML,
// Redirect signs the query string.
func (sp *SP) sendWith(w http.ResponseWriter, r *http.Request, bind string, el *etree.Element, dest, param, relayState string) error {
	if bind == saml.BindingHTTPPOST {
		if err := sp.signer.Sign(el); err != nil {
			return err
		}
		data, err := xmlBytes(el)
		if err != nil {
			return err
		}
		return (&binding.POST{Destination: dest, Param: param, XML: data, RelayState: relayState}).Write(w)
	}
	data, err := xmlBytes(el)
	if err != nil {
		return err
	}
	u, err := (&binding.Redirect{Destination: dest, Param: param, XML: data, RelayState: relayState,
		Key: sp.cfg.Key, SigAlg: sp.cfg.sigMethod}).URL()
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u, http.StatusFound)
	return nil
}

func (sp *SP) bindingLimits() binding.Limits {
	return binding.Limits{MaxMessageBytes: int64(orInt(sp.cfg.Limits.MaxBytes, saml.DefaultMaxBytes)), MaxEncodedBytes: sp.cfg.maxBody}
}

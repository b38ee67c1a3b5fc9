package idp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/partner"
)

// logoutChain is a front-channel single logout in progress: the browser
// visits each remaining participant in turn (N14).
type logoutChain struct {
	origin    *LogoutRequest // nil when the logout started at the issuer
	remaining []Participant
	current   *partner.Partner
	requestID string // the LogoutRequest sent to current
	partial   bool
	expires   time.Time
}

// chains holds front-channel logouts in progress, keyed by the handle in
// the browser's logout cookie; bounded by Config.MaxPending.
type chains struct {
	mu sync.Mutex
	m  map[string]*logoutChain
}

func (c *chains) put(handle string, lc *logoutChain, now time.Time, max int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*logoutChain)
	}
	if len(c.m) >= max {
		for k, v := range c.m {
			if !now.Before(v.expires) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= max {
			return ErrTooManyPending
		}
	}
	c.m[handle] = lc
	return nil
}

// take removes and returns the chain under handle.
func (c *chains) take(handle string, now time.Time) *logoutChain {
	c.mu.Lock()
	defer c.mu.Unlock()
	lc, ok := c.m[handle]
	delete(c.m, handle)
	if !ok || !now.Before(lc.expires) {
		return nil
	}
	return lc
}

// serveSLO handles the front channel: a LogoutRequest from a participant,
// or a LogoutResponse from a participant the chain visited.
func (p *IdP) serveSLO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := p.decodeLogout(r, false)
	if err == nil && d.param == binding.ParamResponse {
		p.continueChain(w, r, d)
		return
	}
	var lr *LogoutRequest
	if err == nil {
		lr, err = p.verifyLogoutRequest(ctx, d)
	}
	if err != nil {
		p.log(ctx, "logout refused", err)
		p.page(w, r, http.StatusBadRequest, "Logout refused", "The logout request could not be accepted.")
		return
	}
	cookie := p.currentSession(r)
	sess, err := p.matchLogout(ctx, lr, cookie)
	if err != nil {
		p.log(ctx, "logout refused", err)
		p.finishLogout(w, r, lr, &saml.Status{Code: saml.StatusRequester, SubCode: saml.StatusRequestDenied})
		return
	}
	if sess == nil {
		p.finishLogout(w, r, lr, &saml.Status{Code: saml.StatusSuccess})
		return
	}
	p.startChain(w, r, lr, sess)
}

// startChain ends sess, propagates over SOAP and then walks the browser
// through the participants with only front-channel endpoints.
func (p *IdP) startChain(w http.ResponseWriter, r *http.Request, lr *LogoutRequest, sess *Session) {
	ctx := r.Context()
	if err := p.sessions.Delete(ctx, sess.ID); err != nil {
		p.log(ctx, "session delete failed", err)
		p.finishLogout(w, r, lr, &saml.Status{Code: saml.StatusResponder})
		return
	}
	p.clearCookie(w, p.sessionCookie(), true)
	others := slices.Clone(sess.Participants)
	if lr != nil {
		others = slices.DeleteFunc(others, func(pt Participant) bool { return pt.SP == lr.SP.EntityID })
	}
	front, partial := p.propagateSOAP(ctx, others)
	lc := &logoutChain{origin: lr, remaining: front, partial: partial, expires: p.cfg.Now().Add(p.cfg.PendingLifetime)}
	p.nextInChain(w, r, lc)
}

// nextInChain sends the browser to the next participant, or finishes.
func (p *IdP) nextInChain(w http.ResponseWriter, r *http.Request, lc *logoutChain) {
	ctx := r.Context()
	for len(lc.remaining) > 0 {
		pt := lc.remaining[0]
		lc.remaining = lc.remaining[1:]
		err := p.sendChainRequest(w, r, lc, pt)
		if err == nil {
			return
		}
		p.log(ctx, "front-channel logout propagation failed", err)
		lc.partial = true
	}
	p.clearCookie(w, p.logoutCookie(), false)
	st := &saml.Status{Code: saml.StatusSuccess}
	if lc.partial {
		st.SubCode = saml.StatusPartialLogout
	}
	if lc.origin == nil {
		text := "You have been signed out of every service."
		if lc.partial {
			text = "You have been signed out here, but some services could not confirm it. Close the browser to be safe."
		}
		p.page(w, r, http.StatusOK, "Signed out", text)
		return
	}
	p.finishLogout(w, r, lc.origin, st)
}

// sendChainRequest stores the chain and sends a LogoutRequest to pt over
// HTTP-Redirect (preferred) or HTTP-POST.
func (p *IdP) sendChainRequest(w http.ResponseWriter, r *http.Request, lc *logoutChain, pt Participant) error {
	bindingURI := saml.BindingHTTPRedirect
	sp, ep, err := p.participantEndpoint(r.Context(), pt, bindingURI)
	if err != nil {
		bindingURI = saml.BindingHTTPPOST
		if sp, ep, err = p.participantEndpoint(r.Context(), pt, bindingURI); err != nil {
			return err
		}
	}
	lr, err := p.newLogoutRequest(ep.Location, pt)
	if err != nil {
		return err
	}
	handle, err := newHandle(p.cfg.Rand)
	if err != nil {
		return err
	}
	lc.current, lc.requestID = sp, lr.ID
	if err := p.logouts.put(handle, lc, p.cfg.Now(), p.cfg.MaxPending); err != nil {
		return err
	}
	http.SetCookie(w, p.cookie(p.logoutCookie(), handle, p.cfg.PendingLifetime, false))
	return p.writeMessage(w, r, sp, bindingURI, ep.Location, binding.ParamRequest, lr.Element(), "")
}

// continueChain handles a participant's LogoutResponse.
func (p *IdP) continueChain(w http.ResponseWriter, r *http.Request, d *decoded) {
	ctx := r.Context()
	c, err := r.Cookie(p.logoutCookie())
	var lc *logoutChain
	if err == nil && validHandle(c.Value) {
		lc = p.logouts.take(c.Value, p.cfg.Now())
	}
	if lc == nil {
		p.log(ctx, "logout response without a logout in progress", ErrNoPendingRequest)
		p.page(w, r, http.StatusBadRequest, "Logout expired", "No logout is in progress in this browser.")
		return
	}
	if err := p.checkLogoutResponse(d.el, d.redirect, lc.current, lc.requestID); err != nil {
		p.log(ctx, "participant logout failed", err)
		lc.partial = true
	}
	p.nextInChain(w, r, lc)
}

// finishLogout answers the originating SP on the binding its request used
// (falling back to the other front-channel binding), or shows a page when
// the SP has no front-channel SLO endpoint.
func (p *IdP) finishLogout(w http.ResponseWriter, r *http.Request, lr *LogoutRequest, st *saml.Status) {
	md := lr.SP.Metadata.SP
	order := []string{saml.BindingHTTPRedirect, saml.BindingHTTPPOST}
	if lr.Binding == saml.BindingHTTPPOST {
		order = []string{saml.BindingHTTPPOST, saml.BindingHTTPRedirect}
	}
	for _, b := range order {
		ep, err := md.SLOEndpoint(b)
		if err != nil {
			continue
		}
		dest := ep.Location
		if ep.ResponseLocation != "" {
			dest = ep.ResponseLocation
		}
		el, err := p.logoutResponseElement(lr, st, dest)
		if err == nil {
			err = p.writeMessage(w, r, lr.SP, b, dest, binding.ParamResponse, el, lr.RelayState)
		}
		if err != nil {
			p.log(r.Context(), "logout response failed", err)
			break
		}
		return
	}
	p.page(w, r, http.StatusOK, "Signed out", "You have been signed out.")
}

// writeMessage signs and sends el on a front-channel binding: the query
// string signature on HTTP-Redirect, an enveloped signature on HTTP-POST.
func (p *IdP) writeMessage(w http.ResponseWriter, r *http.Request, sp *partner.Partner, bindingURI, dest, param string, el *etree.Element, relay string) error {
	signer := p.signerFor(sp.Metadata)
	if bindingURI == saml.BindingHTTPRedirect {
		xml, err := serialize(el)
		if err != nil {
			return err
		}
		u, err := (&binding.Redirect{Destination: dest, Param: param, XML: xml, RelayState: relay,
			Key: p.cfg.Key, SigAlg: signer.Method}).URL()
		if err != nil {
			return err
		}
		http.Redirect(w, r, u, http.StatusFound)
		return nil
	}
	if err := signer.Sign(el); err != nil {
		return err
	}
	xml, err := serialize(el)
	if err != nil {
		return err
	}
	return binding.WritePOST(w, dest, param, xml, relay)
}

// serveLogout is logout started at the issuer (the user's "sign out
// everywhere", N14): it ends the browser's session and walks every
// participant. Cross-site posts are refused (logout CSRF).
func (p *IdP) serveLogout(w http.ResponseWriter, r *http.Request) {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		p.log(r.Context(), "logout refused", errors.New("cross-site logout request"))
		p.page(w, r, http.StatusForbidden, "Logout refused", "Sign out from this site's own page.")
		return
	}
	sess := p.currentSession(r)
	if sess == nil {
		p.page(w, r, http.StatusOK, "Signed out", "You are not signed in.")
		return
	}
	p.startChain(w, r, nil, sess)
}

// Logout ends a session by ID over the back channel only (for an operator
// or a credential revoked for misuse, N28): every participant with a SOAP
// endpoint is told; it reports an error matching ErrLogoutFailed when some
// participant could not be reached or has no SOAP endpoint.
func (p *IdP) Logout(ctx context.Context, sessionID string) error {
	sess, err := p.sessions.Get(ctx, sessionID, p.cfg.Now())
	if err != nil {
		return err
	}
	if err := p.sessions.Delete(ctx, sess.ID); err != nil {
		return err
	}
	front, partial := p.propagateSOAP(ctx, sess.Participants)
	if partial || len(front) > 0 {
		return fmt.Errorf("%w: %d participant(s) not logged out", ErrLogoutFailed, len(front))
	}
	return nil
}

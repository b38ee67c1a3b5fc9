package sp

import (
	"context"
	"fmt"
	"net/http"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
)

// LoginOptions say how to start a login.
type LoginOptions struct {
	// Level is the minimum level to request (N11); zero means
	// Config.DefaultLevel.
	Level loa.Level
	// ReturnPath is where the user goes after login. Only a local path
	// ("/..." but not "//" or "/\") is kept; anything else means
	// Config.DefaultReturnPath, so it is never an open redirect.
	ReturnPath string
	// ForceAuthn asks the IdP to authenticate the user afresh.
	ForceAuthn bool
}

// MakeAuthnRequest builds an unsigned AuthnRequest to the IdP's
// SingleSignOnService for Config.RequestBinding, asking for at least
// opts.Level (RequestedAuthnContext minimum, N11, and the NIAS condition when
// configured) with the response to come to the ACS over HTTP-POST.
func (sp *SP) MakeAuthnRequest(ctx context.Context, opts LoginOptions) (*saml.AuthnRequest, error) {
	idp, err := sp.lookupIdP(ctx)
	if err != nil {
		return nil, err
	}
	ep, err := idp.Metadata.IDP.SSOEndpoint(sp.cfg.RequestBinding)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoEndpoint, err)
	}
	level := opts.Level
	if !level.Valid() {
		level = sp.defLevel
	}
	ref, err := levelRef(level)
	if err != nil {
		return nil, fmt.Errorf("sp: level %s has no ClassRef: %w", level, err)
	}
	id, err := saml.NewID(sp.cfg.rand)
	if err != nil {
		return nil, err
	}
	req := &saml.AuthnRequest{
		ID: id, IssueInstant: sp.cfg.now().UTC(), Destination: ep.Location,
		Issuer:                      &saml.NameID{Value: sp.cfg.EntityID, Format: saml.NameIDFormatEntity},
		ForceAuthn:                  opts.ForceAuthn,
		ProtocolBinding:             saml.BindingHTTPPOST,
		AssertionConsumerServiceURL: sp.cfg.acsURL,
		RequestedAuthnContext:       &saml.RequestedAuthnContext{Comparison: saml.ComparisonMinimum, ClassRefs: []string{ref}},
	}
	if sp.cfg.NameIDFormat != "" {
		req.NameIDPolicy = &saml.NameIDPolicy{Format: sp.cfg.NameIDFormat, AllowCreate: true}
	}
	if sp.cfg.NIASCondition {
		cond, err := sp.loa.NIASCondition(level)
		if err != nil {
			return nil, fmt.Errorf("sp: NIAS condition for %s: %w", level, err)
		}
		c := etree.NewElement("saml:Conditions")
		c.AddChild(cond)
		req.Conditions = c
	}
	return req, nil
}

// StartLogin sends the browser to the IdP with a new AuthnRequest: the
// request ID, level and return path are sealed in a cookie named after a
// random RelayState handle (bound to this browser, consumed once), and the
// request is signed (query signature on HTTP-Redirect, enveloped XML
// signature on HTTP-POST).
func (sp *SP) StartLogin(w http.ResponseWriter, r *http.Request, opts LoginOptions) error {
	req, err := sp.MakeAuthnRequest(r.Context(), opts)
	if err != nil {
		return err
	}
	level := opts.Level
	if !level.Valid() {
		level = sp.defLevel
	}
	ref, _ := levelRef(level) // MakeAuthnRequest checked it
	ret := opts.ReturnPath
	if !isLocalPath(ret) {
		ret = sp.cfg.returnPath
	}
	now := sp.cfg.now()
	st := &requestState{ID: req.ID, Level: ref, Return: ret, Created: now.UnixNano(), Expires: now.Add(sp.cfg.requestTTL).Unix()}
	handle, err := sp.saveRequest(w, r, st)
	if err != nil {
		return err
	}
	sp.cfg.log.InfoContext(r.Context(), "sp: login started", "request_id", req.ID, "level", level.String())
	return sp.send(w, r, req.Element(), req.Destination, binding.ParamRequest, handle)
}

// send sends el with the configured request binding.
func (sp *SP) send(w http.ResponseWriter, r *http.Request, el *etree.Element, dest, param, relayState string) error {
	return sp.sendWith(w, r, sp.cfg.RequestBinding, el, dest, param, relayState)
}

// xmlBytes serialises a message so that its signature survives the peer's
// parser (see saml.Serialize).
func xmlBytes(el *etree.Element) ([]byte, error) {
	return saml.Serialize(el)
}

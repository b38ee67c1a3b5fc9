package idp

import (
	"net/http"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
)

// Metadata returns the issuer's metadata, built with metadata.NewIDP:
// SSO on HTTP-Redirect and HTTP-POST, SLO on HTTP-Redirect, HTTP-POST and
// SOAP, every configured certificate for signing, WantAuthnRequestsSigned
// unless AllowUnsignedRequests.
func (p *IdP) Metadata() (*metadata.EntityDescriptor, error) {
	sso, slo, soap := p.cfg.ssoURL(), p.cfg.sloURL(), p.cfg.sloSOAPURL()
	return metadata.NewIDP(metadata.IDPConfig{
		EntityID: p.cfg.EntityID,
		SSO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPRedirect, Location: sso},
			{Binding: saml.BindingHTTPPOST, Location: sso},
		},
		SLO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPRedirect, Location: slo},
			{Binding: saml.BindingHTTPPOST, Location: slo},
			{Binding: saml.BindingSOAP, Location: soap},
		},
		SigningCertificates: p.cfg.Certificates,
		NameIDFormats: []string{saml.NameIDFormatPersistent, saml.NameIDFormatTransient,
			saml.NameIDFormatEntity, saml.NameIDFormatUnspecified},
		Now:                           p.cfg.Now,
		InsecureUnsignedAuthnRequests: p.cfg.AllowUnsignedRequests,
	})
}

// SignedMetadata returns the metadata document signed with Config.Key.
func (p *IdP) SignedMetadata() ([]byte, error) {
	md, err := p.Metadata()
	if err != nil {
		return nil, err
	}
	return md.Sign(&dsig.Signer{Key: p.cfg.Key, Certificates: p.cfg.Certificates[:1], Method: p.cfg.SignatureMethod})
}

// serveMetadata serves the signed metadata, generated per request so that
// its validUntil never lapses.
func (p *IdP) serveMetadata(w http.ResponseWriter, r *http.Request) {
	b, err := p.SignedMetadata()
	if err != nil {
		p.log(r.Context(), "metadata failed", err)
		p.page(w, r, http.StatusInternalServerError, "Metadata unavailable", "The metadata could not be generated.")
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

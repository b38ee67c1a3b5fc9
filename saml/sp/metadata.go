package sp

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/xmlenc"
)

// metadataValidity is how long the served metadata stays valid; it is
// generated per request, so partners never see it expire.
const metadataValidity = 48 * time.Hour

// Metadata returns the SP's metadata (metadata.NewSP), signed with the SP
// key: the ACS (HTTP-POST), single logout on HTTP-Redirect, HTTP-POST and
// SOAP, the signing certificate and any encryption certificates, with
// AuthnRequestsSigned and WantAssertionsSigned.
func (sp *SP) Metadata(_ context.Context) ([]byte, error) {
	cfg := metadata.SPConfig{
		EntityID: sp.cfg.EntityID,
		ACS:      []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: sp.cfg.acsURL}},
		SLO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPRedirect, Location: sp.cfg.sloURL},
			{Binding: saml.BindingHTTPPOST, Location: sp.cfg.sloURL},
			{Binding: saml.BindingSOAP, Location: sp.cfg.sloSOAPURL},
		},
		SigningCertificates:    []*x509.Certificate{sp.cfg.Certificate},
		EncryptionCertificates: sp.cfg.EncryptionCertificates,
		ValidFor:               metadataValidity,
		Now:                    sp.cfg.now,
	}
	if len(cfg.EncryptionCertificates) > 0 {
		cfg.EncryptionMethods = []string{xmlenc.AES256GCM, xmlenc.AES128GCM, xmlenc.RSAOAEP}
	}
	if sp.cfg.NameIDFormat != "" {
		cfg.NameIDFormats = []string{sp.cfg.NameIDFormat}
	}
	ed, err := metadata.NewSP(cfg)
	if err != nil {
		return nil, err
	}
	return ed.Sign(sp.signer)
}

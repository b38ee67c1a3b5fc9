package metadata_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

func mustURL(t testing.TB, s string) url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return *u
}

// TestInteropCrewjamToEidkit parses metadata produced by crewjam/saml
// v0.5.1 (marshalled with encoding/xml, as its ServeMetadata does).
func TestInteropCrewjamToEidkit(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	opts := metadata.ParseOptions{AllowUnsigned: true} // real clock: crewjam stamps validUntil from time.Now

	sp := crewjam.ServiceProvider{
		EntityID:        "https://sp.example.hr/saml/metadata",
		Key:             kp.Key.(*rsa.PrivateKey),
		Certificate:     kp.Certificate,
		MetadataURL:     mustURL(t, "https://sp.example.hr/saml/metadata"),
		AcsURL:          mustURL(t, "https://sp.example.hr/saml/acs"),
		SloURL:          mustURL(t, "https://sp.example.hr/saml/slo"),
		SignatureMethod: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
		LogoutBindings:  []string{crewjam.HTTPPostBinding, crewjam.HTTPRedirectBinding},
	}
	data, err := xml.Marshal(sp.Metadata())
	require.NoError(t, err)
	ed, err := metadata.Parse(data, opts)
	require.NoError(t, err)
	require.Equal(t, sp.EntityID, ed.EntityID)
	require.NotNil(t, ed.SP)
	require.True(t, ed.SP.AuthnRequestsSigned)
	require.True(t, ed.SP.WantAssertionsSigned)
	require.WithinDuration(t, time.Now().Add(crewjam.DefaultValidDuration), ed.ValidUntil, time.Minute)
	require.Len(t, ed.SP.SigningCertificates(), 1)
	require.Equal(t, kp.Certificate.Raw, ed.SP.SigningCertificates()[0].Raw)
	require.Equal(t, kp.Certificate.Raw, ed.SP.EncryptionCertificates()[0].Raw)
	require.True(t, ed.SP.HasACSLocation("https://sp.example.hr/saml/acs"))
	slo, err := ed.SP.SLOEndpoint(saml.BindingHTTPPOST)
	require.NoError(t, err)
	require.Equal(t, "https://sp.example.hr/saml/slo", slo.Location)
	require.Equal(t, "https://sp.example.hr/saml/slo", slo.ResponseLocation)
	require.Empty(t, ed.SP.NameIDFormats, "crewjam's empty NameIDFormat is dropped")
	acs, err := ed.SP.ACSByIndex(2)
	require.NoError(t, err)
	require.Equal(t, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact", acs.Binding)

	idp := crewjam.IdentityProvider{
		Key:         kp.Key,
		Certificate: kp.Certificate,
		MetadataURL: mustURL(t, "https://idp.example.hr/saml/metadata"),
		SSOURL:      mustURL(t, "https://idp.example.hr/saml/sso"),
		LogoutURL:   mustURL(t, "https://idp.example.hr/saml/slo"),
	}
	data, err = xml.Marshal(idp.Metadata())
	require.NoError(t, err)
	ed, err = metadata.Parse(data, opts)
	require.NoError(t, err)
	require.Equal(t, "https://idp.example.hr/saml/metadata", ed.EntityID)
	for _, b := range []string{saml.BindingHTTPPOST, saml.BindingHTTPRedirect} {
		ep, err := ed.IDP.SSOEndpoint(b)
		require.NoError(t, err)
		require.Equal(t, "https://idp.example.hr/saml/sso", ep.Location)
	}
	require.Equal(t, kp.Certificate.Raw, ed.IDP.SigningCertificates()[0].Raw)
	require.Equal(t, []string{saml.NameIDFormatTransient}, ed.IDP.NameIDFormats)
}

// TestInteropEidkitToCrewjam has crewjam/saml v0.5.1 read eidkit's
// metadata (signed, as published) into its own types.
func TestInteropEidkitToCrewjam(t *testing.T) {
	t.Parallel()
	kps, certs := keyPairs(t, samltest.RSA2048, 2)
	signer := dsigSigner(kps[0])

	spEd, err := metadata.NewSP(spConfig(certs, certs[1]))
	require.NoError(t, err)
	data, err := spEd.Sign(signer)
	require.NoError(t, err)
	var got crewjam.EntityDescriptor
	require.NoError(t, xml.Unmarshal(data, &got))
	require.Equal(t, spEd.EntityID, got.EntityID)
	require.True(t, spEd.ValidUntil.Equal(got.ValidUntil))
	require.Len(t, got.SPSSODescriptors, 1)
	sp := got.SPSSODescriptors[0]
	require.True(t, *sp.AuthnRequestsSigned)
	require.True(t, *sp.WantAssertionsSigned)
	require.Len(t, sp.AssertionConsumerServices, 2)
	require.Equal(t, "https://eusluga.example.hr/saml/acs", sp.AssertionConsumerServices[0].Location)
	require.Equal(t, saml.BindingHTTPPOST, sp.AssertionConsumerServices[0].Binding)
	require.True(t, *sp.AssertionConsumerServices[0].IsDefault)
	require.Equal(t, 1, sp.AssertionConsumerServices[1].Index)
	require.Len(t, sp.KeyDescriptors, 3)
	require.Equal(t, "signing", sp.KeyDescriptors[1].Use)
	require.Equal(t, base64.StdEncoding.EncodeToString(certs[1].Raw), sp.KeyDescriptors[1].KeyInfo.X509Data.X509Certificates[0].Data)
	require.Equal(t, "encryption", sp.KeyDescriptors[2].Use)
	require.Equal(t, "http://www.w3.org/2009/xmlenc11#aes256-gcm", sp.KeyDescriptors[2].EncryptionMethods[0].Algorithm)
	require.Len(t, sp.SingleLogoutServices, 2)
	require.Equal(t, saml.BindingSOAP, sp.SingleLogoutServices[1].Binding)
	require.Equal(t, "oib", sp.AttributeConsumingServices[0].RequestedAttributes[0].Name)

	idpEd, err := metadata.NewIDP(idpConfig(certs))
	require.NoError(t, err)
	data, err = idpEd.Marshal()
	require.NoError(t, err)
	got = crewjam.EntityDescriptor{}
	require.NoError(t, xml.Unmarshal(data, &got))
	require.Equal(t, "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR", got.EntityID)
	idp := got.IDPSSODescriptors[0]
	require.True(t, *idp.WantAuthnRequestsSigned)
	require.Len(t, idp.SingleSignOnServices, 2)
	require.Equal(t, saml.BindingHTTPRedirect, idp.SingleSignOnServices[1].Binding)
	require.Len(t, idp.KeyDescriptors, 2)
	require.Equal(t, crewjam.NameIDFormat(saml.NameIDFormatEntity), idp.NameIDFormats[0])
	require.Equal(t, "ime", idp.Attributes[1].Name)
}

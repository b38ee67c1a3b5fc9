package metadata_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// TestParseNIAS parses NIAS-shaped IdP metadata signed by xmlsec1 (spec-digest
// §4.1): DN entityID, two signing keys for rollover, SOAP SLO. N23: the
// trust anchor is the NIAS certificate exchanged out of band.
func TestParseNIAS(t *testing.T) {
	t.Parallel()
	sign1, sign2 := readCert(t, "keys/nias-sign1.crt"), readCert(t, "keys/nias-sign2.crt")
	ed, err := metadata.Parse(readFile(t, "TestParseNIAS/nias-idp.signed.xml"), trusting(sign1))
	require.NoError(t, err)

	require.Equal(t, "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR", ed.EntityID)
	require.Equal(t, sign1.Raw, ed.SignedBy.Raw)
	require.Equal(t, time.Date(2036, 12, 23, 0, 0, 0, 0, time.UTC), ed.ValidUntil)
	require.Equal(t, 12*time.Hour, ed.CacheDuration)
	require.Nil(t, ed.SP)
	idp := ed.IDP
	require.NotNil(t, idp)
	require.True(t, idp.WantAuthnRequestsSigned)

	signing := idp.SigningCertificates()
	require.Len(t, signing, 2)
	require.Equal(t, sign1.Raw, signing[0].Raw)
	require.Equal(t, sign2.Raw, signing[1].Raw)
	require.Equal(t, "niasaptst", signing[0].Subject.CommonName)
	enc := idp.EncryptionCertificates()
	require.Len(t, enc, 1)
	require.NotEqual(t, sign1.Raw, enc[0].Raw)
	require.Equal(t, []string{"http://www.w3.org/2001/04/xmlenc#aes256-cbc"}, idp.KeyDescriptors[2].EncryptionMethods)

	for _, b := range []string{saml.BindingHTTPPOST, saml.BindingHTTPRedirect} {
		ep, err := idp.SSOEndpoint(b)
		require.NoError(t, err)
		require.Equal(t, "https://niastst.fina.hr/sso-http", ep.Location)
	}
	_, err = idp.SSOEndpoint(saml.BindingSOAP)
	require.ErrorIs(t, err, metadata.ErrNoEndpoint)
	soap, err := idp.SLOEndpoint(saml.BindingSOAP)
	require.NoError(t, err)
	require.Equal(t, "https://niastst.fina.hr/ssout-soap", soap.Location)
	require.Len(t, idp.SingleLogoutServices, 3)
	require.Equal(t, []string{saml.NameIDFormatEntity, saml.NameIDFormatPersistent}, idp.NameIDFormats)

	require.Equal(t, "FINA", ed.Organization.Names[0].Value)
	require.Equal(t, "hr", ed.Organization.Names[0].Lang)
	require.Equal(t, []metadata.ContactPerson{{Type: "technical", Company: "FINA",
		EmailAddresses: []string{"mailto:nias-podrska@example.hr"}}}, ed.ContactPersons)
	require.NoError(t, ed.Valid(fixedNow))
	require.ErrorIs(t, ed.Valid(ed.ValidUntil), metadata.ErrExpired)

	// The second (rollover) key is trusted too: verification tries each.
	_, err = metadata.Parse(readFile(t, "TestParseNIAS/nias-idp.signed.xml"), trusting(sign2, sign1))
	require.NoError(t, err)
	// Unsigned copy: refused by default, accepted with AllowUnsigned.
	_, err = metadata.Parse(readFile(t, "TestParseNIAS/nias-idp.xml"), trusting(sign1))
	require.ErrorIs(t, err, metadata.ErrUnsigned)
	plain, err := metadata.Parse(readFile(t, "TestParseNIAS/nias-idp.xml"), unsignedOK())
	require.NoError(t, err)
	require.Equal(t, normalize(ed), normalize(plain))
}

// TestParseEIDAS parses eIDAS-node-shaped metadata signed by xmlsec1 with
// ECDSA-SHA512 under the eIDAS policy (spec-digest §2.7).
func TestParseEIDAS(t *testing.T) {
	t.Parallel()
	opts := metadata.ParseOptions{
		Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{readCert(t, "keys/eidas-mdsign.crt")}, Policy: dsig.EIDASPolicy()},
		Now:      clock, RequireValidUntil: true,
	}
	ed, err := metadata.Parse(readFile(t, "TestParseEIDAS/eidas-proxy.signed.xml"), opts)
	require.NoError(t, err)
	require.Equal(t, "https://eidas.example.hr/EidasNode/ServiceMetadata", ed.EntityID)
	x := ed.Extensions
	require.Equal(t, "HR", x.NodeCountry)
	require.Equal(t, map[string][]string{
		metadata.EntityAttrProtocolVersion:       {"1.2", "1.1"},
		metadata.EntityAttrApplicationIdentifier: {"CEF:eIDAS-ref:2.9"},
	}, x.EntityAttributes)
	require.Equal(t, []metadata.SigningMethod{
		{Algorithm: dsig.RSAPSSSHA512, MinKeySize: 3072, MaxKeySize: 4096},
		{Algorithm: dsig.ECDSASHA512},
	}, x.SigningMethods)
	require.Equal(t, []string{dsig.DigestSHA512}, x.DigestMethods)
	require.Len(t, x.Other, 1)
	require.Equal(t, "UIInfo", x.Other[0].Tag)
	require.Equal(t, "urn:oasis:names:tc:SAML:metadata:ui", x.Other[0].NamespaceURI())

	idp := ed.IDP
	require.Len(t, idp.SigningCertificates(), 1)
	require.Equal(t, readCert(t, "keys/eidas.crt").Raw, idp.SigningCertificates()[0].Raw)
	require.Equal(t, 3072, idp.SigningCertificates()[0].PublicKey.(interface{ Size() int }).Size()*8)
	require.Equal(t, []string{"http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2009/xmlenc11#rsa-oaep"},
		idp.KeyDescriptors[1].EncryptionMethods)
	require.Len(t, idp.Attributes, 4)
	require.Equal(t, metadata.Attribute{Name: "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier",
		NameFormat: saml.AttrNameFormatURI, FriendlyName: "PersonIdentifier"}, idp.Attributes[0])

	// Re-marshalled, the unknown UIInfo extension survives with its namespace.
	out, err := ed.Marshal()
	require.NoError(t, err)
	again, err := metadata.Parse(out, unsignedOK())
	require.NoError(t, err)
	require.Equal(t, "HR eIDAS", again.Extensions.Other[0].ChildElements()[0].Text())
}

func TestParseSignatureFailures(t *testing.T) {
	t.Parallel()
	kps, certs := keyPairs(t, samltest.RSA2048, 2)
	ed, err := metadata.NewIDP(idpConfig(certs[:1]))
	require.NoError(t, err)
	ed.ID = "_sig"
	signed, err := ed.Sign(&dsig.Signer{Key: kps[0].Key, Certificates: certs[:1]})
	require.NoError(t, err)

	cases := []struct {
		name string
		data []byte
		opts metadata.ParseOptions
		want error
	}{
		{"tampered endpoint", bytes.Replace(signed, []byte("https://niastst.fina.hr/sso-http"), []byte("https://evil.example/sso-http"), 1),
			trusting(certs[0]), metadata.ErrBadSignature},
		{"tampered validUntil", bytes.Replace(signed, []byte(`validUntil="2026`), []byte(`validUntil="2099`), 1),
			trusting(certs[0]), metadata.ErrBadSignature},
		{"untrusted key (KeyInfo cert is ignored)", signed, trusting(certs[1]), metadata.ErrBadSignature},
		{"unsigned refused by default", mustMarshal(t, ed), trusting(certs[0]), metadata.ErrUnsigned},
		{"bad signature refused even with AllowUnsigned",
			bytes.Replace(signed, []byte("https://niastst.fina.hr/sso-http"), []byte("https://evil.example/sso-http"), 1),
			metadata.ParseOptions{Verifier: verifier(certs[0]), AllowUnsigned: true, Now: clock}, metadata.ErrBadSignature},
		{"no verifier and no AllowUnsigned", signed, metadata.ParseOptions{Now: clock}, metadata.ErrInvalidConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := metadata.Parse(tc.data, tc.opts)
			require.ErrorIs(t, err, tc.want)
		})
	}
	// A bad signature also exposes dsig's own sentinel.
	_, err = metadata.Parse(signed, trusting(certs[1]))
	require.True(t, errors.Is(err, dsig.ErrUntrustedKey) || errors.Is(err, dsig.ErrBadSignature), err)
}

func mustMarshal(t testing.TB, ed *metadata.EntityDescriptor) []byte {
	t.Helper()
	out, err := ed.Marshal()
	require.NoError(t, err)
	return out
}

// TestParseValidity: validUntil honoured at parse time (spec-digest §2.7).
func TestParseValidity(t *testing.T) {
	t.Parallel()
	_, certs := keyPairs(t, samltest.P256, 1)
	ed, err := metadata.NewIDP(idpConfig(certs)) // valid until fixedNow+48h
	require.NoError(t, err)
	data := mustMarshal(t, ed)
	noVU := *ed
	noVU.ValidUntil = time.Time{}
	dataNoVU := mustMarshal(t, &noVU)

	at := func(now time.Time) metadata.ParseOptions {
		return metadata.ParseOptions{AllowUnsigned: true, Now: func() time.Time { return now }}
	}
	cases := []struct {
		name string
		data []byte
		opts metadata.ParseOptions
		want error
	}{
		{"valid", data, at(fixedNow), nil},
		{"expired", data, at(fixedNow.Add(49 * time.Hour)), metadata.ErrExpired},
		{"exactly at validUntil", data, at(ed.ValidUntil), metadata.ErrExpired},
		{"too far ahead", data, metadata.ParseOptions{AllowUnsigned: true, Now: clock, MaxValidity: 24 * time.Hour}, metadata.ErrValidity},
		{"within MaxValidity", data, metadata.ParseOptions{AllowUnsigned: true, Now: clock, MaxValidity: 72 * time.Hour}, nil},
		{"missing validUntil allowed", dataNoVU, at(fixedNow), nil},
		{"missing validUntil required", dataNoVU, metadata.ParseOptions{AllowUnsigned: true, Now: clock, RequireValidUntil: true}, metadata.ErrValidity},
		{"role descriptor expired", []byte(idpDoc(` validUntil="2026-05-31T00:00:00Z"`, "")), at(fixedNow), metadata.ErrExpired},
		{"role descriptor valid", []byte(idpDoc(` validUntil="2026-06-02T00:00:00Z"`, "")), at(fixedNow), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := metadata.Parse(tc.data, tc.opts)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
		})
	}
}

const minimalIDP = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="idp">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="LOC"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`

// TestParseBadEndpoint refuses non-http(s) and relative locations
// (CVE-2023-45683 class) with an EndpointError naming the element.
func TestParseBadEndpoint(t *testing.T) {
	t.Parallel()
	for _, loc := range []string{
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "/relative/acs", "//host/acs",
		"ftp://host/x", "https://", " https://host/x", "https://host/x\tx", "", "https:host", "vbscript:x",
		"https://trusted.example@evil.example/acs", "https://user:pw@host/acs", "https://host/acs#frag", "https://host/acs#",
	} {
		t.Run(loc, func(t *testing.T) {
			_, err := metadata.Parse([]byte(strings.Replace(minimalIDP, "LOC", loc, 1)), unsignedOK())
			require.ErrorIs(t, err, metadata.ErrBadEndpoint)
			var ee *metadata.EndpointError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, loc, ee.Location)
			require.Contains(t, ee.Path, "SingleSignOnService[0]")
		})
	}
	for _, loc := range []string{"https://host/sso", "http://localhost:8080/sso?x=1", "HTTPS://HOST/x"} {
		_, err := metadata.Parse([]byte(strings.Replace(minimalIDP, "LOC", loc, 1)), unsignedOK())
		require.NoError(t, err, loc)
	}
}

// TestParseBadCertificate names the entity and KeyDescriptor index.
func TestParseBadCertificate(t *testing.T) {
	t.Parallel()
	tmpl := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="idp">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>GOOD</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:KeyDescriptor>KEYINFO</md:KeyDescriptor>
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`
	good := certBase64(t)
	tmpl = strings.Replace(tmpl, "GOOD", good, 1)
	cases := map[string]string{
		"not base64":   `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>!!!not base64</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`,
		"not a cert":   `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>aGVsbG8gd29ybGQ=</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`,
		"no cert":      `<ds:KeyInfo><ds:KeyName>k</ds:KeyName></ds:KeyInfo>`,
		"no KeyInfo":   ``,
		"two KeyInfos": `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + good + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:KeyInfo/>`,
		"truncated":    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + good[:len(good)/2] + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`,
		"over MaxCertificateBytes": `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` +
			strings.Repeat("AAAA", metadata.MaxCertificateBytes/3+1) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`,
	}
	for name, ki := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := metadata.Parse([]byte(strings.Replace(tmpl, "KEYINFO", ki, 1)), unsignedOK())
			require.ErrorIs(t, err, metadata.ErrBadCertificate)
			var ce *metadata.CertificateError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, "idp", ce.EntityID)
			require.Equal(t, "IDPSSODescriptor", ce.Role)
			require.Equal(t, 1, ce.KeyDescriptor)
		})
	}
	// Whitespace and line breaks inside the base64 are fine.
	wrapped := `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>
  ` + good[:64] + "\r\n  " + good[64:] + `
</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`
	ed, err := metadata.Parse([]byte(strings.Replace(tmpl, "KEYINFO", wrapped, 1)), unsignedOK())
	require.NoError(t, err)
	require.Len(t, ed.IDP.SigningCertificates(), 2, "a KeyDescriptor without use serves signing too")
	require.Len(t, ed.IDP.EncryptionCertificates(), 1, "a KeyDescriptor without use serves encryption too")
}

// TestParseCertificateChain: further certificates in a KeyDescriptor are its
// chain, kept but never offered as keys.
func TestParseCertificateChain(t *testing.T) {
	t.Parallel()
	leaf, ca := certBase64(t), certBase64(t)
	doc := idpDoc("", `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>`+leaf+
		`</ds:X509Certificate><ds:X509Certificate>`+ca+`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
	ed, err := metadata.Parse([]byte(doc), unsignedOK())
	require.NoError(t, err)
	require.Len(t, ed.IDP.KeyDescriptors[0].Certificates, 2)
	signing := ed.IDP.SigningCertificates()
	require.Len(t, signing, 1)
	require.Equal(t, ed.IDP.KeyDescriptors[0].Certificates[0], signing[0])
	require.Empty(t, ed.IDP.EncryptionCertificates())
}

func certBase64(t testing.TB) string {
	t.Helper()
	kp := samltest.NewKeyPair(t, samltest.P256)
	pemText := string(kp.CertPEM())
	var b strings.Builder
	for _, line := range strings.Split(pemText, "\n") {
		if !strings.HasPrefix(line, "-----") {
			b.WriteString(strings.TrimSpace(line))
		}
	}
	return b.String()
}

package metadata_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
)

const (
	mdOpen  = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="e"`
	idpOpen = `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"`
	sso     = `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp/sso"/>`
	spOpen  = `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"`
	acs0    = `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp/acs" index="0"/>`
)

func idpDoc(attrs, body string) string {
	return mdOpen + ">" + idpOpen + attrs + ">" + body + sso + `</md:IDPSSODescriptor></md:EntityDescriptor>`
}

func spDoc(body string) string {
	return mdOpen + ">" + spOpen + ">" + body + `</md:SPSSODescriptor></md:EntityDescriptor>`
}

// TestParseMalformed: bad input gets a typed error, never a panic.
func TestParseMalformed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		doc  string
		want error
	}{
		{"empty", ``, saml.ErrMalformed},
		{"not XML", `hello`, saml.ErrMalformed},
		{"DOCTYPE", `<!DOCTYPE x [<!ENTITY a "b">]>` + idpDoc("", ""), saml.ErrDoctype},
		{"wrong root", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`, metadata.ErrMalformed},
		{"wrong namespace root", `<EntityDescriptor entityID="e"/>`, metadata.ErrMalformed},
		{"aggregate given to Parse", `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`, metadata.ErrMalformed},
		{"missing entityID", strings.Replace(idpDoc("", ""), ` entityID="e"`, "", 1), metadata.ErrMalformed},
		{"blank entityID", strings.Replace(idpDoc("", ""), `entityID="e"`, `entityID="  "`, 1), metadata.ErrMalformed},
		{"entityID too long", strings.Replace(idpDoc("", ""), `entityID="e"`, `entityID="`+strings.Repeat("x", 1025)+`"`, 1), metadata.ErrMalformed},
		{"no role", mdOpen + `></md:EntityDescriptor>`, metadata.ErrMalformed},
		{"IdP without SSO", mdOpen + ">" + idpOpen + `></md:IDPSSODescriptor></md:EntityDescriptor>`, metadata.ErrMalformed},
		{"SP without ACS", spDoc(""), metadata.ErrMalformed},
		{"bad validUntil", strings.Replace(idpDoc("", ""), `entityID="e"`, `entityID="e" validUntil="tomorrow"`, 1), metadata.ErrMalformed},
		{"bad cacheDuration", strings.Replace(idpDoc("", ""), `entityID="e"`, `entityID="e" cacheDuration="1h"`, 1), metadata.ErrMalformed},
		{"bad role validUntil", idpDoc(` validUntil="2026-13-01T00:00:00Z"`, ""), metadata.ErrMalformed},
		{"missing protocolSupportEnumeration", mdOpen + `><md:IDPSSODescriptor>` + sso + `</md:IDPSSODescriptor></md:EntityDescriptor>`, metadata.ErrMalformed},
		{"bad WantAuthnRequestsSigned", idpDoc(` WantAuthnRequestsSigned="yes"`, ""), metadata.ErrMalformed},
		{"unexpected element in IdP", idpDoc("", `<md:Bogus/>`), metadata.ErrMalformed},
		{"unexpected element in entity", mdOpen + `><md:Bogus/></md:EntityDescriptor>`, metadata.ErrMalformed},
		{"two IdP descriptors", mdOpen + ">" + idpOpen + ">" + sso + `</md:IDPSSODescriptor>` + idpOpen + ">" + sso + `</md:IDPSSODescriptor></md:EntityDescriptor>`, metadata.ErrMalformed},
		{"two Extensions", mdOpen + `><md:Extensions/><md:Extensions/>` + idpOpen + ">" + sso + `</md:IDPSSODescriptor></md:EntityDescriptor>`, metadata.ErrMalformed},
		{"bad key use", idpDoc("", `<md:KeyDescriptor use="both"/>`), metadata.ErrMalformed},
		{"NameIDFormat with child", idpDoc("", `<md:NameIDFormat><x/></md:NameIDFormat>`), metadata.ErrMalformed},
		{"bad contactType", strings.Replace(idpDoc("", ""), `</md:EntityDescriptor>`, `<md:ContactPerson contactType="boss"/></md:EntityDescriptor>`, 1), metadata.ErrMalformed},
		{"SSO without binding", mdOpen + ">" + idpOpen + `><md:SingleSignOnService Location="https://idp/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`, metadata.ErrBadEndpoint},
		{"ACS without index", spDoc(`<md:AssertionConsumerService Binding="b" Location="https://sp/acs"/>`), metadata.ErrMalformed},
		{"ACS index not a number", spDoc(strings.Replace(acs0, `index="0"`, `index="x"`, 1)), metadata.ErrMalformed},
		{"ACS index too big", spDoc(strings.Replace(acs0, `index="0"`, `index="65536"`, 1)), metadata.ErrMalformed},
		{"ACS negative index", spDoc(strings.Replace(acs0, `index="0"`, `index="-1"`, 1)), metadata.ErrMalformed},
		{"duplicate ACS index", spDoc(acs0 + acs0), metadata.ErrMalformed},
		{"bad isDefault", spDoc(strings.Replace(acs0, `index="0"`, `index="0" isDefault="maybe"`, 1)), metadata.ErrMalformed},
		{"bad ResponseLocation", idpDoc("", `<md:SingleLogoutService Binding="b" Location="https://idp/slo" ResponseLocation="javascript:x"/>`), metadata.ErrBadEndpoint},
		{"bad NodeCountry", strings.Replace(idpDoc("", ""), `entityID="e">`, `entityID="e"><md:Extensions><eidas:NodeCountry xmlns:eidas="http://eidas.europa.eu/saml-extensions">hrv</eidas:NodeCountry></md:Extensions>`, 1), metadata.ErrMalformed},
		{"bad SPType", strings.Replace(idpDoc("", ""), `entityID="e">`, `entityID="e"><md:Extensions><eidas:SPType xmlns:eidas="http://eidas.europa.eu/saml-extensions">secret</eidas:SPType></md:Extensions>`, 1), metadata.ErrMalformed},
		{"SigningMethod without Algorithm", strings.Replace(idpDoc("", ""), `entityID="e">`, `entityID="e"><md:Extensions><alg:SigningMethod xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport"/></md:Extensions>`, 1), metadata.ErrMalformed},
		{"SigningMethod bad size", strings.Replace(idpDoc("", ""), `entityID="e">`, `entityID="e"><md:Extensions><alg:SigningMethod xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport" Algorithm="a" MinKeySize="-1"/></md:Extensions>`, 1), metadata.ErrMalformed},
		{"Attribute without Name", idpDoc("", `<saml:Attribute xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>`), metadata.ErrMalformed},
		{"AttributeValue with child element", idpDoc("", `<saml:Attribute xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Name="n"><saml:AttributeValue><x/></saml:AttributeValue></saml:Attribute>`), metadata.ErrMalformed},
		{"AttributeConsumingService without attributes", spDoc(acs0 + `<md:AttributeConsumingService index="0"><md:ServiceName xml:lang="en">x</md:ServiceName></md:AttributeConsumingService>`), metadata.ErrMalformed},
		{"EncryptionMethod without Algorithm", idpDoc("", `<md:KeyDescriptor><md:EncryptionMethod/></md:KeyDescriptor>`), metadata.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := metadata.Parse([]byte(tc.doc), unsignedOK())
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			require.True(t, strings.HasPrefix(err.Error(), "metadata: ") || strings.HasPrefix(err.Error(), "saml: "), err.Error())
		})
	}
}

// TestParseQualifiedAttributeIgnored: only the unqualified attribute counts;
// a namespaced look-alike cannot override it.
func TestParseQualifiedAttributeIgnored(t *testing.T) {
	t.Parallel()
	ed, err := metadata.Parse([]byte(idpDoc(` xmlns:a="urn:a" a:WantAuthnRequestsSigned="false" WantAuthnRequestsSigned="true"`, "")), unsignedOK())
	require.NoError(t, err)
	require.True(t, ed.IDP.WantAuthnRequestsSigned)
}

// TestParseLimits: saml's parser limits apply and surface as ErrTooLarge
// wrapping saml.ErrLimit, from Parse and ParseEntities alike.
func TestParseLimits(t *testing.T) {
	t.Parallel()
	doc := []byte(idpDoc("", strings.Repeat(`<md:NameIDFormat>x</md:NameIDFormat>`, 50)))
	tests := []struct {
		name      string
		limits    saml.Limits
		wantLimit string
	}{
		{"elements", saml.Limits{MaxElements: 20}, "MaxElements"},
		{"bytes", saml.Limits{MaxBytes: 100}, "MaxBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := metadata.ParseOptions{AllowUnsigned: true, Limits: tt.limits}
			_, err := metadata.Parse(doc, opts)
			_, aggErr := metadata.ParseEntities(doc, opts)
			for _, err := range []error{err, aggErr} {
				require.ErrorIs(t, err, metadata.ErrTooLarge)
				require.ErrorIs(t, err, saml.ErrLimit)
				require.NotErrorIs(t, err, metadata.ErrMalformed, "oversize is not malformed")
				var le *saml.LimitError
				require.ErrorAs(t, err, &le)
				require.Equal(t, tt.wantLimit, le.Limit)
			}
		})
	}
	_, err := metadata.Parse(doc, metadata.ParseOptions{AllowUnsigned: true})
	require.NoError(t, err, "the same document passes the default limits")
}

// TestParseForwardCompatible: unknown roles, non-SAML-2.0 roles and unknown
// extensions are kept raw; text is read whole despite comments.
func TestParseForwardCompatible(t *testing.T) {
	t.Parallel()
	doc := mdOpen + `><md:Extensions><x:Future xmlns:x="urn:future" x:a="1"><x:Child/></x:Future></md:Extensions>` +
		idpOpen + `><md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:<!-- split -->entity</md:NameIDFormat>` + sso + `</md:IDPSSODescriptor>` +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol"/>` +
		`<md:AttributeAuthorityDescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>` +
		`</md:EntityDescriptor>`
	ed, err := metadata.Parse([]byte(doc), unsignedOK())
	require.NoError(t, err)
	require.Equal(t, []string{saml.NameIDFormatEntity}, ed.IDP.NameIDFormats)
	require.Len(t, ed.OtherRoles, 2)
	require.Equal(t, "IDPSSODescriptor", ed.OtherRoles[0].Tag)
	require.Equal(t, "AttributeAuthorityDescriptor", ed.OtherRoles[1].Tag)
	require.Equal(t, saml.NSMetadata, ed.OtherRoles[1].NamespaceURI(), "detached element keeps its namespace")
	require.Len(t, ed.Extensions.Other, 1)
	require.Equal(t, "urn:future", ed.Extensions.Other[0].NamespaceURI())

	out, err := ed.Marshal()
	require.NoError(t, err)
	again, err := metadata.Parse(out, unsignedOK())
	require.NoError(t, err)
	require.Len(t, again.OtherRoles, 2)
	require.Equal(t, "urn:future", again.Extensions.Other[0].NamespaceURI())
	require.Equal(t, "urn:future", again.Extensions.Other[0].ChildElements()[0].NamespaceURI())
}

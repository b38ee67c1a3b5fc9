package dsig

import (
	"crypto/x509"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

// testKeys caches one key pair per type for the test binary: RSA-4096
// generation under -race is slow. Test-only state; the package has none.
var testKeys sync.Map // samltest.KeyType -> *samltest.KeyPair

func key(t testing.TB, kt samltest.KeyType) *samltest.KeyPair {
	t.Helper()
	if kp, ok := testKeys.Load(kt); ok {
		return kp.(*samltest.KeyPair)
	}
	kp, err := samltest.GenerateKeyPair(kt, samltest.CertOptions{})
	require.NoError(t, err)
	actual, _ := testKeys.LoadOrStore(kt, kp)
	return actual.(*samltest.KeyPair)
}

// freshKey generates a key pair not shared with other tests.
func freshKey(t testing.TB, kt samltest.KeyType) *samltest.KeyPair {
	t.Helper()
	kp, err := samltest.GenerateKeyPair(kt, samltest.CertOptions{})
	require.NoError(t, err)
	return kp
}

// assertionXML returns a SAML assertion with roughly size bytes, with an
// Issuer first (so signatures go after it) and attributes whose text
// exercises escaping.
func assertionXML(id string, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="%s" IssueInstant="2026-11-22T03:00:00Z" Version="2.0">`, id)
	b.WriteString(`<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://nias.example.hr/idp</saml:Issuer>`)
	b.WriteString(`<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">12345678903</saml:NameID>`)
	b.WriteString(`<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="_req1" NotOnOrAfter="2026-11-22T03:05:00Z" Recipient="https://sp.example.hr/acs"/></saml:SubjectConfirmation></saml:Subject>`)
	b.WriteString(`<saml:Conditions NotBefore="2026-11-22T02:59:00Z" NotOnOrAfter="2026-11-22T03:05:00Z"><saml:AudienceRestriction><saml:Audience>https://sp.example.hr</saml:Audience></saml:AudienceRestriction></saml:Conditions>`)
	b.WriteString(`<saml:AuthnStatement AuthnInstant="2026-11-22T03:00:00Z" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`)
	b.WriteString(`<saml:AttributeStatement>`)
	for i := 0; b.Len() < size-200; i++ {
		fmt.Fprintf(&b, "\n  <saml:Attribute Name=\"attr%d\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\"><saml:AttributeValue xsi:type=\"xs:string\">Vrijednost &amp; &lt;%d&gt; Č\"ć</saml:AttributeValue></saml:Attribute>", i, i)
	}
	b.WriteString(`</saml:AttributeStatement></saml:Assertion>`)
	return b.String()
}

func parse(t testing.TB, s string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(s))
	require.NotNil(t, doc.Root())
	return doc.Root()
}

func serialize(t testing.TB, el *etree.Element) string {
	t.Helper()
	doc := etree.NewDocument()
	doc.SetRoot(el.Copy())
	// etree's default writer leaves CR in text and TAB/LF/CR in attribute
	// values raw; XML parsers normalise those, changing signed content.
	doc.WriteSettings.CanonicalText = true
	doc.WriteSettings.CanonicalAttrVal = true
	s, err := doc.WriteToString()
	require.NoError(t, err)
	return s
}

// reparse serialises el's document and parses it again, as a receiver would.
func reparse(t testing.TB, el *etree.Element) *etree.Element {
	t.Helper()
	return parse(t, serialize(t, el))
}

// signed returns a freshly signed assertion, reparsed.
func signed(t testing.TB, kp *samltest.KeyPair, method string) *etree.Element {
	t.Helper()
	el := parse(t, assertionXML("_a1", 2000))
	s := &Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}, Method: method}
	require.NoError(t, s.Sign(el))
	return reparse(t, el)
}

package saml

import (
	"encoding/base64"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/<Test>/<name>.xml, rewriting the file
// when -update is set.
func golden(t testing.TB, name string, got []byte) {
	t.Helper()
	test, _, _ := strings.Cut(t.Name(), "/")
	path := filepath.Join("testdata", test, name+".xml")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update")
	require.Equal(t, string(want), string(got))
}

// serialize renders el as an indented standalone document.
func serialize(t testing.TB, el *etree.Element) []byte {
	t.Helper()
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(el)
	doc.Indent(2)
	b, err := doc.WriteToBytes()
	require.NoError(t, err)
	return b
}

// compact renders el without indentation.
func compact(t testing.TB, el *etree.Element) []byte {
	t.Helper()
	b, err := etree.NewDocumentWithRoot(el).WriteToBytes()
	require.NoError(t, err)
	return b
}

var t0 = time.Date(2026, 11, 22, 3, 0, 0, 123_000_000, time.UTC)

const (
	spEntity  = "CN=rsvjavnost_demo, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR"
	idpEntity = "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR"
	acsURL    = "https://eusluga.example.hr/saml/acs"
	ssoURL    = "https://niastst.fina.hr/sso-http"
	sloURL    = "https://niastst.fina.hr/ssout-http"
	eidasLoAH = "http://eidas.europa.eu/LoA/high"
)

func intp(v int) *int { return &v }

// mustElement parses a snippet for use as a raw element in a message.
func mustElement(t testing.TB, s string) *etree.Element {
	t.Helper()
	doc, err := ParseXML([]byte(s), Limits{})
	require.NoError(t, err)
	return doc.Root()
}

// sampleAuthnRequest is a NIAS-style request with every field set
// (spec-digest §4.3).
func sampleAuthnRequest(t testing.TB) *AuthnRequest {
	return &AuthnRequest{
		ID: "_a1", IssueInstant: t0, Destination: ssoURL, Consent: ConsentUnspecified,
		Issuer:       &NameID{Value: spEntity, Format: NameIDFormatEntity},
		Extensions:   []*etree.Element{mustElement(t, `<stork:QualityAuthenticationAssuranceLevel xmlns:stork="urn:eu:stork:names:tc:STORK:1.0:assertion">3</stork:QualityAuthenticationAssuranceLevel>`)},
		NameIDPolicy: &NameIDPolicy{Format: NameIDFormatPersistent, AllowCreate: true, SPNameQualifier: spEntity},
		Conditions: mustElement(t, `<saml:Conditions xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" NotBefore="2026-11-22T03:00:00.123Z" NotOnOrAfter="2026-11-22T03:05:00.123Z">`+
			`<saml:OneTimeUse/><saml:Condition xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/></saml:Conditions>`),
		RequestedAuthnContext: &RequestedAuthnContext{Comparison: ComparisonMinimum, ClassRefs: []string{eidasLoAH, "http://eidas.europa.eu/LoA/substantial"}},
		Scoping: &Scoping{ProxyCount: intp(2), IDPList: []IDPEntry{{ProviderID: idpEntity, Name: "NIAS", Loc: ssoURL}},
			GetComplete: "https://nias.gov.hr/idplist", RequesterIDs: []string{spEntity}},
		ForceAuthn: true, IsPassive: false, ProtocolBinding: BindingHTTPPOST, AssertionConsumerServiceURL: acsURL,
		AttributeConsumingServiceIndex: intp(0), ProviderName: "e-Usluga",
	}
}

// sampleAssertion is a NIAS-style assertion with six attributes, among them
// eIDAS typed values with LatinScript.
func sampleAssertion() *Assertion {
	return &Assertion{
		ID: "_as1", Version: Version, IssueInstant: t0, Issuer: NameID{Value: idpEntity, Format: NameIDFormatEntity},
		Subject: &Subject{
			NameID: &NameID{Value: "a7c1d1e6-1b1b-4e65-9f4e-4b6fb2a0c111", Format: NameIDFormatPersistent, NameQualifier: idpEntity, SPNameQualifier: spEntity},
			SubjectConfirmations: []SubjectConfirmation{{Method: ConfirmationMethodBearer, Data: &SubjectConfirmationData{
				NotOnOrAfter: t0.Add(5 * time.Minute), Recipient: acsURL, InResponseTo: "_a1", Address: "192.0.2.7"}}},
		},
		Conditions: &Conditions{NotBefore: t0.Add(-time.Minute), NotOnOrAfter: t0.Add(5 * time.Minute),
			AudienceRestrictions: [][]string{{spEntity}}, OneTimeUse: true,
			ProxyRestriction: &ProxyRestriction{Count: intp(1), Audiences: []string{"https://other.example"}}},
		AuthnStatements: []AuthnStatement{{AuthnInstant: t0.Add(-time.Second), SessionIndex: "_s1",
			SessionNotOnOrAfter: t0.Add(8 * time.Hour), AuthnContextClassRef: eidasLoAH,
			AuthenticatingAuthorities: []string{"https://eidas.example.de", idpEntity}}},
		AttributeStatements: []AttributeStatement{{Attributes: []Attribute{
			{Name: "oib", NameFormat: AttrNameFormatBasic, Values: []AttributeValue{{Value: "12345678903", Type: xsString()}}},
			{Name: "ime", NameFormat: AttrNameFormatBasic, Values: []AttributeValue{{Value: "Ivana", Type: xsString()}}},
			{Name: "prezime", NameFormat: AttrNameFormatBasic, Values: []AttributeValue{{Value: "Horvat", Type: xsString()}}},
			{Name: "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName", NameFormat: AttrNameFormatURI,
				FriendlyName: "FamilyName", Values: []AttributeValue{
					{Value: "Παπαδόπουλος", Type: eidasType("CurrentFamilyNameType"), Attrs: latin(false)},
					{Value: "Papadopoulos", Type: eidasType("CurrentFamilyNameType"), Attrs: latin(true)}}},
			{Name: "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth", NameFormat: AttrNameFormatURI,
				FriendlyName: "DateOfBirth", Values: []AttributeValue{{Value: "1980-01-31", Type: eidasType("DateOfBirthType")}}},
			{Name: "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier", NameFormat: AttrNameFormatURI,
				FriendlyName: "PersonIdentifier", Values: []AttributeValue{{Value: "HR/DE/12345678903", Type: eidasType("PersonIdentifierType")}}},
		}}},
	}
}

// sampleResponse is a successful Response with sampleAssertion.
func sampleResponse() *Response {
	return &Response{
		StatusResponse: StatusResponse{ID: "_r1", InResponseTo: "_a1", IssueInstant: t0, Destination: acsURL,
			Consent: ConsentObtained, Issuer: &NameID{Value: idpEntity, Format: NameIDFormatEntity},
			Status: &Status{Code: StatusSuccess}},
		Assertions: []*Assertion{sampleAssertion()},
	}
}

func sampleLogoutRequest() *LogoutRequest {
	return &LogoutRequest{
		ID: "_l1", IssueInstant: t0, Destination: sloURL, Issuer: &NameID{Value: spEntity, Format: NameIDFormatEntity},
		NotOnOrAfter: t0.Add(5 * time.Minute), Reason: LogoutReasonUser,
		NameID:         &NameID{Value: "tid-8f14e45f", Format: NameIDFormatEntity},
		SessionIndexes: []string{"_s1", "_s2"},
	}
}

func sampleLogoutResponse() *LogoutResponse {
	return &LogoutResponse{StatusResponse{ID: "_lr1", InResponseTo: "_l1", IssueInstant: t0, Destination: sloURL,
		Issuer: &NameID{Value: idpEntity, Format: NameIDFormatEntity},
		Status: &Status{Code: StatusSuccess, SubCode: StatusPartialLogout, Message: "one participant unreachable"}}}
}

func xsString() (n xml.Name) { return xml.Name{Space: NSXS, Local: "string"} }

func eidasType(local string) xml.Name {
	return xml.Name{Space: "http://eidas.europa.eu/attributes/naturalperson", Local: local}
}

func latin(v bool) []xml.Attr {
	s := "false"
	if v {
		s = "true"
	}
	return []xml.Attr{{Name: xml.Name{Local: "LatinScript"}, Value: s}}
}

// fakeSignature returns a ds:Signature shaped like a real enveloped one
// (RSA-2048 value, a P-256-sized 600-byte certificate) for size-realistic fixtures; it does
// not verify.
func fakeSignature(ref string) *etree.Element {
	sig := etree.NewElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", NSDSig)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/10/xml-exc-c14n#")
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1")
	r := si.CreateElement("ds:Reference")
	r.CreateAttr("URI", "#"+ref)
	tr := r.CreateElement("ds:Transforms")
	tr.CreateElement("ds:Transform").CreateAttr("Algorithm", "http://www.w3.org/2000/09/xmldsig#enveloped-signature")
	tr.CreateElement("ds:Transform").CreateAttr("Algorithm", "http://www.w3.org/2001/10/xml-exc-c14n#")
	r.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmlenc#sha256")
	r.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(make([]byte, 32)))
	sig.CreateElement("ds:SignatureValue").SetText(base64.StdEncoding.EncodeToString(make([]byte, 256)))
	cert := sig.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate")
	cert.SetText(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("certificate-bytes", 36))))
	return sig
}

// response5KB renders sampleResponse, signed-looking (a fake enveloped
// signature on the Response, as NIAS and eIDAS nodes sign), without
// indentation: a realistic ~5 KB Response with six attributes.
func response5KB(t testing.TB) string {
	r := sampleResponse()
	a := r.Assertions[0]
	a.Conditions.ProxyRestriction = nil
	a.AuthnStatements[0].AuthenticatingAuthorities = nil
	a.Subject.NameID.SPNameQualifier = ""
	el := r.Element()
	el.InsertChildAt(el.SelectElement("saml:Issuer").Index()+1, fakeSignature("_r1"))
	return string(compact(t, el))
}

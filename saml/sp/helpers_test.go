package sp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/eidkit/eidkit/saml/xmlenc"
	"github.com/stretchr/testify/require"
)

const (
	testSPEntity  = "https://eservice.example.hr/saml/metadata"
	testBaseURL   = "https://eservice.example.hr/saml"
	testACS       = testBaseURL + "/acs"
	testIdPEntity = "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR"
	testIdPSSO    = "https://idp.example.hr/sso"
	testIdPSLO    = "https://idp.example.hr/slo"
	testIdPSOAP   = "https://idp.example.hr/slo-soap"
)

// testKeys are RSA-2048 test keys with self-signed certificates, checked in
// under testdata/keys (generated with samltest.GenerateKeyPair) so that tests
// and fuzz workers do not spend their time generating keys: idp, sp, enc,
// other.
var testKeys = sync.OnceValue(func() [4]*samltest.KeyPair {
	var out [4]*samltest.KeyPair
	for i, n := range []string{"idp", "sp", "enc", "other"} {
		data, err := os.ReadFile(filepath.Join("testdata", "keys", n+".pem"))
		if err != nil {
			panic(err)
		}
		kp := &samltest.KeyPair{}
		for {
			var blk *pem.Block
			blk, data = pem.Decode(data)
			if blk == nil {
				break
			}
			switch blk.Type {
			case "PRIVATE KEY":
				k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
				if err != nil {
					panic(err)
				}
				kp.Key = k.(crypto.Signer)
			case "CERTIFICATE":
				if kp.Certificate, err = x509.ParseCertificate(blk.Bytes); err != nil {
					panic(err)
				}
			}
		}
		out[i] = kp
	}
	return out
})

// testEnv is an SP wired to a tiny test IdP (the keys and builders below).
type testEnv struct {
	t                  testing.TB
	now                time.Time
	idpKP, spKP, encKP *samltest.KeyPair
	otherKP            *samltest.KeyPair
	idpMeta            *metadata.EntityDescriptor
	cfg                Config
	sp                 *SP
	src                *mutableIdP
	reqID              string
}

type mutableIdP struct {
	mu sync.Mutex
	p  partner.Partner
}

func (m *mutableIdP) Lookup(_ context.Context, id string) (*partner.Partner, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id != m.p.EntityID {
		return nil, partner.ErrUnknownPartner
	}
	p := m.p
	return &p, nil
}

func newEnv(t testing.TB, mods ...func(*Config)) *testEnv {
	t.Helper()
	keys := testKeys()
	e := &testEnv{t: t, now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), idpKP: keys[0], spKP: keys[1], encKP: keys[2], otherKP: keys[3]}
	e.idpMeta = e.newIdPMetadata()
	e.src = &mutableIdP{p: partner.Partner{EntityID: testIdPEntity, Metadata: e.idpMeta}}
	e.cfg = Config{
		EntityID: testSPEntity, BaseURL: testBaseURL,
		Key: e.spKP.Key, Certificate: e.spKP.Certificate,
		DecryptionKeys: []crypto.Decrypter{e.encKP.Decrypter()}, EncryptionCertificates: []*x509.Certificate{e.encKP.Certificate},
		IdPEntityID: testIdPEntity, IdPs: e.src,
		CookieKey:    bytes.Repeat([]byte{7}, CookieKeySize),
		DefaultLevel: loa.Notified(loa.Low),
		Now:          func() time.Time { return e.now },
	}
	for _, m := range mods {
		m(&e.cfg)
	}
	var err error
	e.sp, err = New(e.cfg)
	require.NoError(t, err)
	e.reqID = "_req0000000000000000000000000000000000001"
	return e
}

// newIdPMetadata builds the test IdP's metadata, valid from e.now.
func (e *testEnv) newIdPMetadata() *metadata.EntityDescriptor {
	md, err := metadata.NewIDP(metadata.IDPConfig{
		EntityID: testIdPEntity,
		SSO:      []metadata.Endpoint{{Binding: saml.BindingHTTPRedirect, Location: testIdPSSO}, {Binding: saml.BindingHTTPPOST, Location: testIdPSSO}},
		SLO: []metadata.Endpoint{{Binding: saml.BindingHTTPRedirect, Location: testIdPSLO}, {Binding: saml.BindingHTTPPOST, Location: testIdPSLO},
			{Binding: saml.BindingSOAP, Location: testIdPSOAP}},
		SigningCertificates: []*x509.Certificate{e.idpKP.Certificate},
		Now:                 func() time.Time { return e.now },
	})
	require.NoError(e.t, err)
	return md
}

// resetClock moves the test clock to now and reissues the IdP metadata.
func (e *testEnv) resetClock(now time.Time) {
	e.now = now
	e.idpMeta = e.newIdPMetadata()
	e.src.mu.Lock()
	e.src.p.Metadata = e.idpMeta
	e.src.mu.Unlock()
}

// respOpts controls the test IdP's Response.
type respOpts struct {
	signResponse, signAssertion, encrypt bool
	key                                  *samltest.KeyPair // signing key; nil means the IdP's
	assertion                            func(*saml.Assertion)
	response                             func(*saml.Response)
	responseEl                           func(resp, assertion *etree.Element)
}

func (e *testEnv) assertion(inResponseTo string) *saml.Assertion {
	now := e.now
	id, _ := saml.NewID(rand.Reader)
	return &saml.Assertion{
		ID: id, IssueInstant: now, Issuer: saml.NameID{Value: testIdPEntity, Format: saml.NameIDFormatEntity},
		Subject: &saml.Subject{
			NameID: &saml.NameID{Value: "tid-12345", Format: saml.NameIDFormatPersistent},
			SubjectConfirmations: []saml.SubjectConfirmation{{Method: saml.ConfirmationMethodBearer,
				Data: &saml.SubjectConfirmationData{NotOnOrAfter: now.Add(5 * time.Minute), Recipient: testACS, InResponseTo: inResponseTo}}},
		},
		Conditions: &saml.Conditions{NotBefore: now.Add(-time.Minute), NotOnOrAfter: now.Add(5 * time.Minute),
			AudienceRestrictions: [][]string{{testSPEntity}}},
		AuthnStatements: []saml.AuthnStatement{{AuthnInstant: now, SessionIndex: "sess-1", AuthnContextClassRef: loa.EIDASSubstantial}},
		AttributeStatements: []saml.AttributeStatement{{Attributes: []saml.Attribute{
			{Name: AttrOIB, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "12345678903"}}},
			{Name: AttrGivenName, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "Ivana"}}},
			{Name: AttrFamilyName, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "Horvat"}}},
			{Name: AttrDateOfBirth, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "1980-01-31"}}},
			{Name: AttrCountryEID, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "HR"}}},
			{Name: EIDASCurrentFamilyName, NameFormat: saml.AttrNameFormatURI, FriendlyName: "FamilyName", Values: []saml.AttributeValue{
				{Value: "Ωνάσης", Attrs: latinScriptFalse()}, {Value: "Onasis"}}},
		}}},
	}
}

func latinScriptFalse() []xml.Attr {
	return []xml.Attr{{Name: xml.Name{Space: eidasNaturalPersonSpace, Local: "LatinScript"}, Value: "false"}}
}

// response builds a serialised Response to inResponseTo.
func (e *testEnv) response(inResponseTo string, o respOpts) []byte {
	e.t.Helper()
	a := e.assertion(inResponseTo)
	if o.assertion != nil {
		o.assertion(a)
	}
	rid, _ := saml.NewID(rand.Reader)
	resp := &saml.Response{StatusResponse: saml.StatusResponse{ID: rid, InResponseTo: inResponseTo, IssueInstant: e.now,
		Destination: testACS, Issuer: &saml.NameID{Value: testIdPEntity, Format: saml.NameIDFormatEntity},
		Status: &saml.Status{Code: saml.StatusSuccess}}}
	if o.response != nil {
		o.response(resp)
	}
	kp := o.key
	if kp == nil {
		kp = e.idpKP
	}
	signer := &dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
	ael := a.Element()
	if o.signAssertion {
		require.NoError(e.t, signer.Sign(ael))
	}
	if o.encrypt {
		enc := &xmlenc.Encrypter{Certificate: e.encKP.Certificate}
		var err error
		ael, err = enc.EncryptAssertion(ael)
		require.NoError(e.t, err)
	}
	rel := resp.Element()
	rel.AddChild(ael)
	if o.responseEl != nil {
		o.responseEl(rel, ael)
	}
	if o.signResponse {
		require.NoError(e.t, signer.Sign(rel))
	}
	return serialize(e.t, rel)
}

func serialize(t testing.TB, el *etree.Element) []byte {
	t.Helper()
	b, err := xmlBytes(el)
	require.NoError(t, err)
	return b
}

var both = respOpts{signResponse: true, signAssertion: true}

// startLogin runs StartLogin in a fresh browser and returns the RelayState,
// the request ID and the cookies set.
func (e *testEnv) startLogin(opts LoginOptions, cookies ...*http.Cookie) (relay, reqID string, set []*http.Cookie) {
	e.t.Helper()
	r := httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/app", nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	require.NoError(e.t, e.sp.StartLogin(w, r, opts))
	require.Equal(e.t, http.StatusFound, w.Code)
	loc, err := url.Parse(w.Header().Get("Location"))
	require.NoError(e.t, err)
	msg, err := binding.DecodeRedirectQuery(loc.RawQuery, binding.Limits{})
	require.NoError(e.t, err)
	_, err = msg.Verify([]*x509.Certificate{e.spKP.Certificate}, dsig.Policy{})
	require.NoError(e.t, err)
	req, err := saml.ParseAuthnRequestBytes(msg.XML, saml.Limits{})
	require.NoError(e.t, err)
	return msg.RelayState, req.ID, w.Result().Cookies()
}

// postACS posts a Response to the ACS handler.
func (e *testEnv) postACS(xml []byte, relay string, cookies []*http.Cookie) *httptest.ResponseRecorder {
	form := url.Values{binding.ParamResponse: {base64.StdEncoding.EncodeToString(xml)}}
	if relay != "" {
		form.Set(binding.ParamRelayState, relay)
	}
	r := httptest.NewRequest(http.MethodPost, testACS, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		if c.MaxAge >= 0 {
			r.AddCookie(c)
		}
	}
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, r)
	return w
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name && c.MaxAge >= 0 {
			return c
		}
	}
	return nil
}

// login performs a full login and returns the session cookie.
func (e *testEnv) login(level loa.Level) *http.Cookie {
	e.t.Helper()
	relay, id, cs := e.startLogin(LoginOptions{Level: level, ReturnPath: "/profile"})
	w := e.postACS(e.response(id, both), relay, cs)
	require.Equal(e.t, http.StatusSeeOther, w.Code, w.Body.String())
	c := cookieNamed(w.Result().Cookies(), e.sp.sessionCookieName())
	require.NotNil(e.t, c)
	return c
}

type cryptoSigner = crypto.Signer

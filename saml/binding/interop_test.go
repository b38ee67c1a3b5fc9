package binding

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	crewsaml "github.com/crewjam/saml"
	gosaml2 "github.com/russellhaering/gosaml2"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/internal/interoptest"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
)

func crewRequest(dest string) *crewsaml.AuthnRequest {
	return &crewsaml.AuthnRequest{
		ID:           "id-crewjam-1",
		Version:      "2.0",
		IssueInstant: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC),
		Destination:  dest,
		Issuer:       &crewsaml.Issuer{Value: "https://sp.example.org/metadata"},
	}
}

// TestInteropCrewjamRedirect verifies a signed Redirect URL built by
// crewjam/saml v0.5.1. crewjam writes RelayState without percent-encoding
// it, so the octets it signed differ from any Go re-encoding: only a
// verifier working on the raw query accepts it (SAMLBind §3.4.4.1).
func TestInteropCrewjamRedirect(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	sp := &crewsaml.ServiceProvider{Key: kp.Key, Certificate: kp.Certificate, SignatureMethod: dsig.RSASHA256}
	relay := "go/to?page=1"
	u, err := crewRequest("https://idp.example.org/sso").Redirect(relay, sp)
	require.NoError(t, err)
	require.Contains(t, u.RawQuery, "RelayState="+relay+"&", "crewjam sends RelayState raw")

	m, err := DecodeRedirect(httptest.NewRequest(http.MethodGet, u.String(), nil), Limits{})
	require.NoError(t, err)
	require.Equal(t, relay, m.RelayState)
	require.Contains(t, string(m.XML), `ID="id-crewjam-1"`)
	require.Equal(t, dsig.RSASHA256, m.SigAlg)
	cert, err := m.Verify([]*x509.Certificate{kp.Certificate}, dsig.Policy{})
	require.NoError(t, err)
	require.Same(t, kp.Certificate, cert)

	other := samltest.NewKeyPair(t, samltest.RSA2048)
	_, err = m.Verify([]*x509.Certificate{other.Certificate}, dsig.Policy{})
	require.ErrorIs(t, err, ErrBadSignature)
}

// TestInteropGosaml2Redirect verifies a signed Redirect URL built by
// gosaml2 v0.12.0, whose parameters come in alphabetical order
// (RelayState, SAMLRequest, SigAlg, Signature), not in signing order.
func TestInteropGosaml2Redirect(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	sp := &gosaml2.SAMLServiceProvider{
		IdentityProviderSSOURL:      "https://idp.example.org/sso?tenant=hr",
		IdentityProviderIssuer:      "https://idp.example.org",
		ServiceProviderIssuer:       "https://sp.example.org",
		AssertionConsumerServiceURL: "https://sp.example.org/acs",
		SignAuthnRequests:           true,
		SignAuthnRequestsAlgorithm:  dsig.RSASHA256,
	}
	require.NoError(t, sp.SetSPSigningKeyStore(&gosaml2.KeyStore{Signer: kp.Key, Cert: kp.Certificate.Raw}))
	doc, err := sp.BuildAuthRequestDocument()
	require.NoError(t, err)
	u, err := sp.BuildAuthURLRedirect("state 1/2", doc)
	require.NoError(t, err)
	require.Regexp(t, `\?RelayState=.*&SAMLRequest=.*&SigAlg=.*&Signature=.*&tenant=hr$`, u)

	m, err := DecodeRedirect(httptest.NewRequest(http.MethodGet, u, nil), Limits{})
	require.NoError(t, err)
	require.Equal(t, ParamRequest, m.Param)
	require.Equal(t, "state 1/2", m.RelayState)
	require.Contains(t, string(m.XML), "AuthnRequest")
	_, err = m.Verify([]*x509.Certificate{kp.Certificate}, dsig.Policy{})
	require.NoError(t, err)
	_, err = m.Verify([]*x509.Certificate{kp.Certificate}, dsig.EIDASPolicy())
	require.ErrorIs(t, err, dsig.ErrUnsupportedAlgorithm)
}

// TestInteropPeersInflateOurs: crewjam's IdP and gosaml2's decoder read
// what Redirect.URL writes (raw DEFLATE, base64, URL-encoding).
func TestInteropPeersInflateOurs(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	u, err := (&Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(sampleRequest), RelayState: "r/1 ~", Key: kp.Key}).URL()
	require.NoError(t, err)
	req, err := crewsaml.NewIdpAuthnRequest(&crewsaml.IdentityProvider{}, httptest.NewRequest(http.MethodGet, u, nil))
	require.NoError(t, err)
	require.Equal(t, sampleRequest, string(req.RequestBuffer))
	require.Equal(t, "r/1 ~", req.RelayState)

	logoutResponse := `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lo9" Version="2.0" InResponseTo="_lr1" Destination="https://sp.example.org/slo"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`
	u, err = (&Redirect{Destination: "https://sp.example.org/slo", Param: ParamResponse, XML: []byte(logoutResponse)}).URL()
	require.NoError(t, err)
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	lr, err := gosaml2.DecodeUnverifiedLogoutResponse(parsed.Query().Get(ParamResponse))
	require.NoError(t, err)
	require.Equal(t, "_lo9", lr.ID)
	require.Equal(t, "urn:oasis:names:tc:SAML:2.0:status:Success", lr.Status.StatusCode.Value)
}

var crewInputRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)" />`)

// TestInteropCrewjamPOST: crewjam's HTTP-POST form decodes with DecodePOST,
// and crewjam's IdP reads the form WritePOST renders.
func TestInteropCrewjamPOST(t *testing.T) {
	t.Parallel()
	page := string(crewRequest("https://idp.example.org/sso").Post("rs-1"))
	form := url.Values{}
	for _, m := range crewInputRE.FindAllStringSubmatch(page, -1) {
		form.Add(m[1], strings.NewReplacer("&#43;", "+", "&#61;", "=", "&#34;", `"`).Replace(m[2]))
	}
	r := httptest.NewRequest(http.MethodPost, "https://idp.example.org/sso", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	m, err := DecodePOST(r, Limits{})
	require.NoError(t, err)
	require.Equal(t, ParamRequest, m.Param)
	require.Equal(t, "rs-1", m.RelayState)
	require.Contains(t, string(m.XML), `ID="id-crewjam-1"`)

	rec := httptest.NewRecorder()
	require.NoError(t, WritePOST(rec, "https://idp.example.org/sso", ParamRequest, []byte(sampleRequest), "rs-2"))
	action, fields := formFields(t, rec.Body.String())
	r = httptest.NewRequest(http.MethodPost, action, strings.NewReader(fields.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req, err := crewsaml.NewIdpAuthnRequest(&crewsaml.IdentityProvider{}, r)
	require.NoError(t, err)
	require.Equal(t, sampleRequest, string(req.RequestBuffer))
	require.Equal(t, "rs-2", req.RelayState)
}

// TestInteropOpenSSLVerifiesOurs: OpenSSL verifies the query signatures
// Redirect.URL writes, over octets cut from the URL independently of this
// package's decoder: RSA-SHA256 and eIDAS RSA-PSS (salt = hash length).
func TestInteropOpenSSLVerifiesOurs(t *testing.T) {
	t.Parallel()
	openssl := interoptest.RequireTool(t, "openssl")
	tests := []struct {
		name, alg string
		kt        samltest.KeyType
		args      []string
	}{
		{name: "rsa-sha256", alg: dsig.RSASHA256, kt: samltest.RSA2048, args: []string{"-sha256"}},
		{name: "rsa-pss-sha256", alg: dsig.RSAPSSSHA256, kt: samltest.RSA3072, args: []string{"-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kp := samltest.NewKeyPair(t, tc.kt)
			u, err := (&Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(sampleRequest), RelayState: "a b/c", Key: kp.Key, SigAlg: tc.alg}).URL()
			require.NoError(t, err)
			parts := strings.Split(u[strings.Index(u, "?")+1:], "&")
			require.Len(t, parts, 4)
			octets := strings.Join(parts[:3], "&")
			sigB64, err := url.QueryUnescape(strings.TrimPrefix(parts[3], "Signature="))
			require.NoError(t, err)
			sig, err := base64.StdEncoding.DecodeString(sigB64)
			require.NoError(t, err)

			dir := t.TempDir()
			pub, err := x509.MarshalPKIXPublicKey(kp.Key.Public())
			require.NoError(t, err)
			write := func(name string, data []byte) string {
				p := filepath.Join(dir, name)
				require.NoError(t, os.WriteFile(p, data, 0o600))
				return p
			}
			pubPath := write("pub.pem", []byte("-----BEGIN PUBLIC KEY-----\n"+base64.StdEncoding.EncodeToString(pub)+"\n-----END PUBLIC KEY-----\n"))
			sigPath := write("sig.bin", sig)
			octetsPath := write("octets.txt", []byte(octets))
			args := append(append([]string{"dgst"}, tc.args...), "-verify", pubPath, "-signature", sigPath, octetsPath)
			out, err := exec.Command(openssl, args...).CombinedOutput()
			require.NoError(t, err, "%s", out)
			require.Contains(t, string(out), "Verified OK")

			require.NoError(t, os.WriteFile(octetsPath, []byte(strings.Replace(octets, "RelayState=a+b", "RelayState=a%20b", 1)), 0o600))
			out, err = exec.Command(openssl, args...).CombinedOutput()
			require.Error(t, err, "re-encoded octets must not verify: %s", out)
		})
	}
}

// TestInteropCrewjamECDSAIsASN1 documents a peer bug rather than hiding
// it: crewjam (through goxmldsig, issue #163) writes ECDSA query
// signatures as ASN.1 DER, where XML-DSig 1.1 §6.4.3 requires r||s. Such a
// signature is refused as bad, not misread.
func TestInteropCrewjamECDSAIsASN1(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.P256)
	sp := &crewsaml.ServiceProvider{Key: kp.Key, Certificate: kp.Certificate, SignatureMethod: dsig.ECDSASHA256}
	u, err := crewRequest("https://idp.example.org/sso").Redirect("", sp)
	require.NoError(t, err)
	m, err := DecodeRedirect(httptest.NewRequest(http.MethodGet, u.String(), nil), Limits{})
	require.NoError(t, err)
	require.Equal(t, byte(0x30), m.Signature[0], "ASN.1 SEQUENCE")
	require.NotEqual(t, 64, len(m.Signature))
	_, err = m.Verify([]*x509.Certificate{kp.Certificate}, dsig.Policy{})
	require.ErrorIs(t, err, ErrBadSignature)
}

package binding

import (
	"bytes"
	"compress/flate"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
)

const sampleRequest = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1b2c3" Version="2.0" IssueInstant="2026-11-22T03:00:00Z" Destination="https://idp.example.org/sso"><saml:Issuer>https://sp.example.org</saml:Issuer></samlp:AuthnRequest>`

// rawDeflateB64 compresses and base64-encodes data the way a peer would.
func rawDeflateB64(t testing.TB, data []byte) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func rawQuery(t *testing.T, u string) string {
	t.Helper()
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	return parsed.RawQuery
}

// TestRedirectRoundTrip covers SAMLBind §3.4.4.1 encode/decode for every key
// type dsig signs with (N2, N23).
func TestRedirectRoundTrip(t *testing.T) {
	t.Parallel()
	rsaKey := samltest.NewKeyPair(t, samltest.RSA2048)
	pss := samltest.NewKeyPair(t, samltest.RSA3072)
	p256 := samltest.NewKeyPair(t, samltest.P256)
	p384 := samltest.NewKeyPair(t, samltest.P384)
	p521 := samltest.NewKeyPair(t, samltest.P521)
	tests := []struct {
		name       string
		dest       string
		param      string
		relayState string
		kp         *samltest.KeyPair
		sigAlg     string
		wantAlg    string
		policy     dsig.Policy
	}{
		{name: "unsigned request", dest: "https://idp.example.org/sso", param: ParamRequest},
		{name: "unsigned response with relay state", dest: "https://sp.example.org/slo", param: ParamResponse, relayState: "s=1&t=/a b"},
		{name: "rsa default method", dest: "https://idp.example.org/sso", param: ParamRequest, relayState: "abc", kp: rsaKey, wantAlg: dsig.RSASHA256},
		{name: "rsa-pss eidas", dest: "https://idp.example.org/sso", param: ParamRequest, relayState: strings.Repeat("x", MaxRelayState), kp: pss, sigAlg: dsig.RSAPSSSHA512, wantAlg: dsig.RSAPSSSHA512, policy: dsig.EIDASPolicy()},
		{name: "p256 default", dest: "https://idp.example.org/sso?tenant=hr&x=%2F", param: ParamRequest, kp: p256, wantAlg: dsig.ECDSASHA256},
		{name: "p384 default", dest: "https://idp.example.org/sso?", param: ParamResponse, relayState: "r", kp: p384, wantAlg: dsig.ECDSASHA384, policy: dsig.EIDASPolicy()},
		{name: "p521 default", dest: "http://localhost:8080/sso?a=b&", param: ParamRequest, kp: p521, wantAlg: dsig.ECDSASHA512},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &Redirect{Destination: tc.dest, Param: tc.param, XML: []byte(sampleRequest), RelayState: tc.relayState, SigAlg: tc.sigAlg}
			if tc.kp != nil {
				r.Key = tc.kp.Key
			}
			u, err := r.URL()
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(u, strings.TrimRight(strings.TrimSuffix(tc.dest, "?"), "&")), u)
			require.NotContains(t, u, "?&")
			require.NotContains(t, u, "&&")

			m, err := DecodeRedirect(httptest.NewRequest("GET", u, nil), Limits{})
			require.NoError(t, err)
			require.Equal(t, tc.param, m.Param)
			require.Equal(t, sampleRequest, string(m.XML))
			require.Equal(t, tc.relayState, m.RelayState)
			if tc.kp == nil {
				require.False(t, m.Signed())
				_, err := m.Verify([]*x509.Certificate{rsaKey.Certificate}, dsig.Policy{})
				require.ErrorIs(t, err, ErrUnsigned)
				return
			}
			require.True(t, m.Signed())
			require.Equal(t, tc.wantAlg, m.SigAlg)
			cert, err := m.Verify([]*x509.Certificate{tc.kp.Certificate}, tc.policy)
			require.NoError(t, err)
			require.Same(t, tc.kp.Certificate, cert)
		})
	}
}

// TestRedirectSignedOctets pins the exact octets signed: fixed order,
// RelayState omitted when empty, values URL-encoded (SAMLBind §3.4.4.1).
func TestRedirectSignedOctets(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.P256)
	for _, rs := range []string{"", "state/1 2"} {
		u, err := (&Redirect{Destination: "https://idp.example.org/sso?q=1", Param: ParamRequest, XML: []byte(sampleRequest), RelayState: rs, Key: kp.Key}).URL()
		require.NoError(t, err)
		q := rawQuery(t, u)
		pieces := strings.Split(q, "&")
		require.Equal(t, "q=1", pieces[0])
		want := pieces[1] + "&"
		if rs != "" {
			require.Equal(t, "RelayState=state%2F1+2", pieces[2])
			want += pieces[2] + "&"
		}
		want += "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23ecdsa-sha256"
		m, err := DecodeRedirectQuery(q, Limits{})
		require.NoError(t, err)
		require.Equal(t, want, string(m.SignedOctets()))
		require.True(t, strings.HasPrefix(pieces[len(pieces)-1], "Signature="))
	}
}

// TestRedirectRawOctets shows that verification uses the octets as
// received: a peer's percent-encoding that differs from Go's (lower-case
// hex, '+' against %20, needless escapes) verifies, and re-encoding the
// decoded values would not (SAMLBind §3.4.4.1, spec-digest §5.1 item 6).
func TestRedirectRawOctets(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	b64 := rawDeflateB64(t, []byte(sampleRequest))
	lower := strings.NewReplacer("+", "%2b", "/", "%2f", "=", "%3d").Replace(b64)
	rs := "a%20b%2fc%7e" // Go would write a+b%2Fc~
	alg := "http%3a%2f%2fwww.w3.org%2f2001%2f04%2fxmldsig-more%23rsa-sha256"
	octets := "SAMLRequest=" + lower + "&RelayState=" + rs + "&SigAlg=" + alg
	sig, err := dsig.SignBytes(kp.Key, dsig.RSASHA256, []byte(octets))
	require.NoError(t, err)
	// Parameters in another order, with foreign ones around: order in the
	// URL does not matter, only the rebuilt octets.
	q := "foo=bar&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig)) + "&SigAlg=" + alg + "&RelayState=" + rs + "&SAMLRequest=" + lower + "&z"

	m, err := DecodeRedirectQuery(q, Limits{})
	require.NoError(t, err)
	require.Equal(t, "a b/c~", m.RelayState)
	require.Equal(t, octets, string(m.SignedOctets()))
	_, err = m.Verify([]*x509.Certificate{kp.Certificate}, dsig.Policy{})
	require.NoError(t, err)

	goEncoded := "SAMLRequest=" + url.QueryEscape(b64) + "&RelayState=" + url.QueryEscape(m.RelayState) + "&SigAlg=" + url.QueryEscape(m.SigAlg)
	require.NotEqual(t, octets, goEncoded)
	require.ErrorIs(t, dsig.VerifyBytes(kp.Certificate.PublicKey, dsig.RSASHA256, []byte(goEncoded), sig, dsig.Policy{}), dsig.ErrBadSignature)

	// Same decoded values, different octets: the signature no longer holds.
	tampered := strings.Replace(q, "RelayState=a%20b", "RelayState=a+b", 1)
	m2, err := DecodeRedirectQuery(tampered, Limits{})
	require.NoError(t, err)
	require.Equal(t, m.RelayState, m2.RelayState)
	_, err = m2.Verify([]*x509.Certificate{kp.Certificate}, dsig.Policy{})
	require.ErrorIs(t, err, ErrBadSignature)
	require.ErrorIs(t, err, dsig.ErrBadSignature)
}

// TestRedirectVerifyFailures covers wrong key, tampering, rollover, policy
// and configuration errors (N23: only configured keys are trusted).
func TestRedirectVerifyFailures(t *testing.T) {
	t.Parallel()
	signer := samltest.NewKeyPair(t, samltest.RSA2048)
	other := samltest.NewKeyPair(t, samltest.RSA2048)
	ec := samltest.NewKeyPair(t, samltest.P256)
	u, err := (&Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(sampleRequest), RelayState: "rs", Key: signer.Key}).URL()
	require.NoError(t, err)
	q := rawQuery(t, u)
	decode := func(t *testing.T, q string) *RedirectMessage {
		m, err := DecodeRedirectQuery(q, Limits{})
		require.NoError(t, err)
		return m
	}
	tests := []struct {
		name   string
		query  string
		certs  []*x509.Certificate
		policy dsig.Policy
		want   []error
		ok     bool
	}{
		{name: "rollover old then new", query: q, certs: []*x509.Certificate{other.Certificate, ec.Certificate, signer.Certificate}, ok: true},
		{name: "untrusted key", query: q, certs: []*x509.Certificate{other.Certificate}, want: []error{ErrBadSignature, dsig.ErrBadSignature}},
		{name: "no certificates", query: q, want: []error{ErrNoCertificates}},
		{name: "nil certificates", query: q, certs: []*x509.Certificate{nil}, want: []error{ErrNoCertificates}},
		{name: "sigalg not in policy", query: q, certs: []*x509.Certificate{signer.Certificate}, policy: dsig.EIDASPolicy(), want: []error{dsig.ErrUnsupportedAlgorithm}},
		{name: "key type does not fit", query: q, certs: []*x509.Certificate{ec.Certificate}, want: []error{dsig.ErrUnsupportedAlgorithm}},
		{name: "weak key for policy", query: q, certs: []*x509.Certificate{signer.Certificate}, policy: dsig.Policy{MinRSABits: 3072}, want: []error{ErrBadSignature, dsig.ErrWeakKey}},
		{name: "invalid policy", query: q, certs: []*x509.Certificate{signer.Certificate}, policy: dsig.Policy{MinRSABits: 1024}, want: []error{dsig.ErrInvalidConfig}},
		{name: "relay state stripped", query: dropParam(q, ParamRelayState), certs: []*x509.Certificate{signer.Certificate}, want: []error{ErrBadSignature}},
		{name: "relay state replaced", query: strings.Replace(q, "RelayState=rs", "RelayState=evil", 1), certs: []*x509.Certificate{signer.Certificate}, want: []error{ErrBadSignature}},
		{name: "sha1 sigalg swapped in", query: strings.Replace(q, "rsa-sha256", "rsa-sha1", 1), certs: []*x509.Certificate{signer.Certificate}, want: []error{dsig.ErrUnsupportedAlgorithm}},
		{name: "signature stripped", query: dropParam(dropParam(q, ParamSignature), ParamSigAlg), certs: []*x509.Certificate{signer.Certificate}, want: []error{ErrUnsigned}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cert, err := decode(t, tc.query).Verify(tc.certs, tc.policy)
			if tc.ok {
				require.NoError(t, err)
				require.Same(t, signer.Certificate, cert)
				return
			}
			require.Nil(t, cert)
			for _, w := range tc.want {
				require.ErrorIs(t, err, w)
			}
			if !errors.Is(tc.want[0], ErrBadSignature) {
				require.NotErrorIs(t, err, ErrBadSignature)
			}
		})
	}
}

func dropParam(q, name string) string {
	var keep []string
	for _, p := range strings.Split(q, "&") {
		if !strings.HasPrefix(p, name+"=") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "&")
}

// TestDecodeRedirectErrors: bad input gets a typed error, never a panic.
func TestDecodeRedirectErrors(t *testing.T) {
	t.Parallel()
	msg := url.QueryEscape(rawDeflateB64(t, []byte(sampleRequest)))
	bomb := url.QueryEscape(rawDeflateB64(t, bytes.Repeat([]byte("A"), 4<<20)))
	var trailing bytes.Buffer
	w, _ := flate.NewWriter(&trailing, 9)
	_, _ = w.Write([]byte(sampleRequest))
	_ = w.Close()
	trailing.WriteString("junk")
	tests := []struct {
		name  string
		query string
		lim   Limits
		want  error
	}{
		{name: "empty", query: "", want: ErrMissingMessage},
		{name: "only relay state", query: "RelayState=x", want: ErrMissingMessage},
		{name: "empty message", query: "SAMLRequest=", want: ErrMissingMessage},
		{name: "both messages", query: "SAMLRequest=" + msg + "&SAMLResponse=" + msg, want: ErrDuplicateParameter},
		{name: "duplicate request", query: "SAMLRequest=" + msg + "&SAMLRequest=" + msg, want: ErrDuplicateParameter},
		{name: "duplicate by escaped name", query: "SAMLRequest=" + msg + "&SAML%52equest=" + msg, want: ErrDuplicateParameter},
		{name: "duplicate relay state", query: "SAMLRequest=" + msg + "&RelayState=a&RelayState=b", want: ErrDuplicateParameter},
		{name: "duplicate signature", query: "SAMLRequest=" + msg + "&SigAlg=x&Signature=AAAA&Signature=AAAA", want: ErrDuplicateParameter},
		{name: "relay state too long", query: "SAMLRequest=" + msg + "&RelayState=" + strings.Repeat("%41", MaxRelayState+1), want: ErrRelayStateTooLong},
		{name: "unknown encoding", query: "SAMLRequest=" + msg + "&SAMLEncoding=urn%3Agzip", want: ErrUnsupportedEncoding},
		{name: "bad percent escape", query: "SAMLRequest=" + msg + "&RelayState=%zz", want: ErrMalformed},
		{name: "not base64", query: "SAMLRequest=!!!!", want: ErrMalformed},
		{name: "base64 with newline", query: "SAMLRequest=" + url.QueryEscape(rawDeflateB64(t, []byte(sampleRequest))[:8]+"\n"+rawDeflateB64(t, []byte(sampleRequest))[8:]), want: ErrMalformed},
		{name: "zlib not raw deflate", query: "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})), want: ErrMalformed},
		{name: "truncated deflate", query: "SAMLRequest=" + url.QueryEscape(rawDeflateB64(t, []byte(sampleRequest))[:20]), want: ErrMalformed},
		{name: "trailing garbage", query: "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(trailing.Bytes())), want: ErrMalformed},
		{name: "sigalg without signature", query: "SAMLRequest=" + msg + "&SigAlg=x", want: ErrMalformed},
		{name: "signature without sigalg", query: "SAMLRequest=" + msg + "&Signature=AAAA", want: ErrMalformed},
		{name: "empty sigalg", query: "SAMLRequest=" + msg + "&SigAlg=&Signature=AAAA", want: ErrMalformed},
		{name: "signature not base64", query: "SAMLRequest=" + msg + "&SigAlg=x&Signature=%%", want: ErrMalformed},
		{name: "deflate bomb", query: "SAMLRequest=" + bomb, want: ErrTooLarge},
		{name: "over custom inflate cap", query: "SAMLRequest=" + msg, lim: Limits{MaxMessageBytes: 64}, want: ErrTooLarge},
		{name: "query too long", query: "SAMLRequest=" + msg, lim: Limits{MaxEncodedBytes: 32}, want: ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := DecodeRedirectQuery(tc.query, tc.lim)
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, m)
			require.True(t, strings.HasPrefix(err.Error(), "binding: "), err.Error())
		})
	}
}

// TestDecodeRedirectBombLimit checks the *LimitError of a deflate bomb
// (CVE-2023-26483, CVE-2023-28119): 4 MiB compresses to a few KiB.
func TestDecodeRedirectBombLimit(t *testing.T) {
	t.Parallel()
	bomb := rawDeflateB64(t, bytes.Repeat([]byte("A"), 4<<20))
	require.Less(t, len(bomb), 16<<10)
	_, err := DecodeRedirectQuery("SAMLResponse="+url.QueryEscape(bomb), Limits{})
	le, ok := errors.AsType[*LimitError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "inflated message", le.What)
	require.EqualValues(t, DefaultMaxMessageBytes, le.Max)

	// Exactly at the cap is fine.
	at := rawDeflateB64(t, bytes.Repeat([]byte("A"), 1000))
	m, err := DecodeRedirectQuery("SAMLResponse="+url.QueryEscape(at), Limits{MaxMessageBytes: 1000})
	require.NoError(t, err)
	require.Len(t, m.XML, 1000)
}

// TestRedirectEncodeErrors covers what Redirect.URL refuses before any
// encoding (CVE-2023-45683 class for destinations).
func TestRedirectEncodeErrors(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.P256)
	ok := Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(sampleRequest)}
	tests := []struct {
		name   string
		modify func(r *Redirect)
		want   error
	}{
		{name: "javascript", modify: func(r *Redirect) { r.Destination = "javascript:alert(1)" }, want: ErrBadDestination},
		{name: "data", modify: func(r *Redirect) { r.Destination = "data:text/html,x" }, want: ErrBadDestination},
		{name: "relative", modify: func(r *Redirect) { r.Destination = "/sso" }, want: ErrBadDestination},
		{name: "scheme relative", modify: func(r *Redirect) { r.Destination = "//idp.example.org/sso" }, want: ErrBadDestination},
		{name: "ftp", modify: func(r *Redirect) { r.Destination = "ftp://idp.example.org/sso" }, want: ErrBadDestination},
		{name: "user info", modify: func(r *Redirect) { r.Destination = "https://good.example@evil.example/sso" }, want: ErrBadDestination},
		{name: "fragment", modify: func(r *Redirect) { r.Destination = "https://idp.example.org/sso#x" }, want: ErrBadDestination},
		{name: "unparsable", modify: func(r *Redirect) { r.Destination = "https://idp.example.org:port/" }, want: ErrBadDestination},
		{name: "query has SAMLRequest", modify: func(r *Redirect) { r.Destination = "https://idp.example.org/sso?SAMLRequest=x" }, want: ErrBadDestination},
		{name: "query has RelayState", modify: func(r *Redirect) { r.Destination = "https://idp.example.org/sso?a=1&RelayState=x" }, want: ErrBadDestination},
		{name: "bad param", modify: func(r *Redirect) { r.Param = "SAMLart" }, want: ErrBadParameter},
		{name: "empty xml", modify: func(r *Redirect) { r.XML = nil }, want: ErrMissingMessage},
		{name: "relay state too long", modify: func(r *Redirect) { r.RelayState = strings.Repeat("r", 81) }, want: ErrRelayStateTooLong},
		{name: "sha1 refused", modify: func(r *Redirect) { r.Key, r.SigAlg = kp.Key, dsig.RSASHA1 }, want: dsig.ErrUnsupportedAlgorithm},
		{name: "method does not fit key", modify: func(r *Redirect) { r.Key, r.SigAlg = kp.Key, dsig.RSASHA256 }, want: dsig.ErrUnsupportedAlgorithm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := ok
			tc.modify(&r)
			u, err := r.URL()
			require.ErrorIs(t, err, tc.want)
			require.Empty(t, u)
		})
	}
}

func TestDecodeRedirectNilRequest(t *testing.T) {
	t.Parallel()
	_, err := DecodeRedirect(nil, Limits{})
	require.ErrorIs(t, err, ErrMissingMessage)
	var m *RedirectMessage
	require.False(t, m.Signed())
	require.Nil(t, m.SignedOctets())
	_, err = m.Verify(nil, dsig.Policy{})
	require.ErrorIs(t, err, ErrUnsigned)
}

// TestRedirectVerifyIgnoresFieldChanges: Verify checks what was received,
// whatever the caller later does to the exported fields.
func TestRedirectVerifyIgnoresFieldChanges(t *testing.T) {
	t.Parallel()
	kp := samltest.NewKeyPair(t, samltest.P256)
	u, err := (&Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(sampleRequest), Key: kp.Key}).URL()
	require.NoError(t, err)
	m, err := DecodeRedirectQuery(rawQuery(t, u), Limits{})
	require.NoError(t, err)
	m.SigAlg, m.Signature = "", nil
	require.True(t, m.Signed())
	_, err = m.Verify([]*x509.Certificate{kp.Certificate}, dsig.Policy{})
	require.NoError(t, err)
}

func TestDecodeRedirectExplicitEncoding(t *testing.T) {
	t.Parallel()
	q := "SAMLEncoding=" + url.QueryEscape(EncodingDEFLATE) + "&SAMLRequest=" + url.QueryEscape(rawDeflateB64(t, []byte(sampleRequest)))
	m, err := DecodeRedirectQuery(q, Limits{})
	require.NoError(t, err)
	require.Equal(t, sampleRequest, string(m.XML))
	_, err = DecodeRedirectQuery(q+"&SAMLEncoding=x", Limits{})
	require.ErrorIs(t, err, ErrDuplicateParameter)
}

func TestLimitsValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, Limits{}.Validate())
	err := Limits{MaxMessageBytes: -1, MaxEncodedBytes: -1}.Validate()
	require.ErrorIs(t, err, ErrInvalidConfig)
	require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2)
	_, err = DecodeRedirectQuery("SAMLRequest=x", Limits{MaxMessageBytes: -1})
	require.ErrorIs(t, err, ErrInvalidConfig)
	_, err = DecodePOST(postRequest("SAMLRequest=x"), Limits{MaxEncodedBytes: -5})
	require.ErrorIs(t, err, ErrInvalidConfig)
}

// TestDecodeRedirectManyEmptyParams: a query of nothing but separators and
// junk parameters is refused without collecting them.
// Not parallel: AllocsPerRun needs the test alone.
func TestDecodeRedirectManyEmptyParams(t *testing.T) {
	q := strings.Repeat("&a", 500_000)
	allocs := testing.AllocsPerRun(3, func() {
		_, err := DecodeRedirectQuery(q, Limits{})
		require.ErrorIs(t, err, ErrMissingMessage)
	})
	require.Less(t, allocs, 100.0)
}

package xmlutil_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/internal/xmlutil"
)

// TestLookupNamespace resolves prefixes the way binding (SOAP faultcode
// QNames) and metadata (detached extension elements) need it (N2).
func TestLookupNamespace(t *testing.T) {
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(`<a xmlns="urn:default" xmlns:p="urn:outer">`+
		`<b xmlns:p="urn:inner"><c xmlns=""/></b><d/></a>`))
	b := doc.FindElement("/a/b")
	c := doc.FindElement("/a/b/c")
	d := doc.FindElement("/a/d")
	require.NotNil(t, b)
	require.NotNil(t, c)
	require.NotNil(t, d)
	tests := []struct {
		name   string
		el     *etree.Element
		prefix string
		want   string
	}{
		{"nearest declaration wins", b, "p", "urn:inner"},
		{"inherited from ancestor", d, "p", "urn:outer"},
		{"default namespace", d, "", "urn:default"},
		{"default undeclared by xmlns=\"\"", c, "", ""},
		{"undeclared prefix", d, "q", ""},
		{"xml prefix is predeclared", d, "xml", xmlutil.NSXML},
		{"nil element", nil, "p", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, xmlutil.LookupNamespace(tt.el, tt.prefix))
		})
	}
}

func TestStripDeclaration(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"nothing to strip", `<a/>`, `<a/>`},
		{"declaration", `<?xml version="1.0"?><a/>`, `<a/>`},
		{"declaration and white space", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n\t <a/>", `<a/>`},
		{"BOM only", "\xEF\xBB\xBF<a/>", `<a/>`},
		{"BOM and declaration", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<a/>", `<a/>`},
		{"xml-stylesheet is not a declaration", `<?xml-stylesheet href="x"?><a/>`, `<?xml-stylesheet href="x"?><a/>`},
		{"unterminated declaration is kept", `<?xml version="1.0"`, `<?xml version="1.0"`},
		{"bare <?xml is kept", `<?xml`, `<?xml`},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, string(xmlutil.StripDeclaration([]byte(tt.in))))
		})
	}
}

func TestDecodeBase64(t *testing.T) {
	data := bytes.Repeat([]byte{0xA5}, 100)
	enc := base64.StdEncoding.EncodeToString(data)
	wrapped := enc[:40] + "\r\n  " + enc[40:80] + "\n\t" + enc[80:]
	tests := []struct {
		name    string
		text    string
		limit   int64
		want    []byte
		wantErr error
	}{
		{"plain", enc, 100, data, nil},
		{"line-wrapped with XML white space", wrapped, 100, data, nil},
		{"empty is empty", "", 0, []byte{}, nil},
		{"one byte over the limit", enc, 99, nil, xmlutil.ErrTooLarge},
		{"far over the limit is refused before decoding", strings.Repeat("A", 1<<20), 16, nil, xmlutil.ErrTooLarge},
		{"negative limit means zero", "AA==", -5, nil, xmlutil.ErrTooLarge},
		{"not base64", "!!!!", 100, nil, xmlutil.ErrBase64},
		{"missing padding", "AAA", 100, nil, xmlutil.ErrBase64},
		{"non-XML white space (NBSP) is not skipped", "AA\u00a0==", 100, nil, xmlutil.ErrBase64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xmlutil.DecodeBase64(tt.text, tt.limit)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestLimitErrorCarriesLimit(t *testing.T) {
	_, err := xmlutil.DecodeBase64("AAAAAAAA", 3)
	le, ok := errors.AsType[*xmlutil.LimitError](err)
	require.True(t, ok, "want *LimitError, got %v", err)
	require.Equal(t, int64(3), le.Max)
	require.Equal(t, "xmlutil: decoded value exceeds 3 bytes", le.Error())
}

// FuzzDecodeBase64 checks that no text panics, that every error is typed,
// and that a decoded value never exceeds the limit and re-encodes to text of
// the compacted input's length that decodes to it again.
func FuzzDecodeBase64(f *testing.F) {
	f.Add("AAAA", int64(3))
	f.Add("QUJD\r\nREVG", int64(6))
	f.Add("A A==", int64(1))
	f.Add("", int64(0))
	f.Fuzz(func(t *testing.T, text string, limit int64) {
		out, err := xmlutil.DecodeBase64(text, limit)
		if err != nil {
			if !errors.Is(err, xmlutil.ErrTooLarge) && !errors.Is(err, xmlutil.ErrBase64) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if int64(len(out)) > max(limit, 0) {
			t.Fatalf("%d bytes decoded under limit %d", len(out), limit)
		}
		// Go's decoder accepts non-zero padding bits ("001=" reads as "000="),
		// as peers' decoders do, so compare lengths and re-decode rather than
		// require the canonical text back.
		compact := strings.NewReplacer(" ", "", "\t", "", "\r", "", "\n", "").Replace(text)
		again := base64.StdEncoding.EncodeToString(out)
		if len(again) != len(compact) {
			t.Fatalf("round trip: %q decoded to %x", text, out)
		}
		if back, err := xmlutil.DecodeBase64(again, limit); err != nil || !bytes.Equal(back, out) {
			t.Fatalf("re-decode of %q: %x, %v", again, back, err)
		}
	})
}

// FuzzStripDeclaration checks that only a prefix is ever removed.
func FuzzStripDeclaration(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><a/>`))
	f.Add([]byte("\xEF\xBB\xBF<a/>"))
	f.Add([]byte(`<?xml-stylesheet?><a/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := xmlutil.StripDeclaration(data)
		if !bytes.HasSuffix(data, out) {
			t.Fatalf("%q is not a suffix of %q", out, data)
		}
	})
}

func BenchmarkDecodeBase64(b *testing.B) {
	data := bytes.Repeat([]byte("<saml:Assertion/>"), 4096)
	enc := base64.StdEncoding.EncodeToString(data)
	var lines strings.Builder
	for i := 0; i < len(enc); i += 76 {
		lines.WriteString(enc[i:min(i+76, len(enc))])
		lines.WriteString("\n")
	}
	for _, bc := range []struct{ name, text string }{{"compact", enc}, {"wrapped76", lines.String()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := xmlutil.DecodeBase64(bc.text, 1<<20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func ExampleDecodeBase64() {
	der, err := xmlutil.DecodeBase64("PHNh\n  bWw+", 64)
	fmt.Printf("%s %v\n", der, err)
	_, err = xmlutil.DecodeBase64("PHNhbWw+", 4)
	fmt.Println(errors.Is(err, xmlutil.ErrTooLarge))
	// Output:
	// <saml> <nil>
	// true
}

func ExampleStripDeclaration() {
	fmt.Printf("%s\n", xmlutil.StripDeclaration([]byte("<?xml version=\"1.0\"?>\n<samlp:LogoutRequest/>")))
	// Output: <samlp:LogoutRequest/>
}

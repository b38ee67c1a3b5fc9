package saml

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"plain", `<a>hello</a>`, "hello", nil},
		{"empty", `<a/>`, "", nil},
		{"comment split", `<a>admin@x<!---->.evil.example</a>`, "admin@x.evil.example", nil},
		{"comment first", `<a><!--c-->user</a>`, "user", nil},
		{"cdata split", `<a>us<![CDATA[er]]>1</a>`, "user1", nil},
		{"char ref split", `<a>us&#101;r</a>`, "user", nil},
		{"whitespace kept", `<a> x </a>`, " x ", nil},
		{"child element", `<a>x<b/>y</a>`, "", ErrNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseXML([]byte(tt.in), Limits{})
			require.NoError(t, err)
			got, err := Text(doc.Root())
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	got, err := Text(nil)
	require.NoError(t, err)
	require.Empty(t, got)
	// Elements built by hand may hold directives; they are not text.
	el := etree.NewElement("a")
	el.CreateDirective("x")
	_, err = Text(el)
	require.ErrorIs(t, err, ErrNotText)
	// Processing instructions are skipped like comments.
	el = etree.NewElement("a")
	el.CreateText("a")
	el.CreateProcInst("p", "q")
	el.CreateText("b")
	got, err = Text(el)
	require.NoError(t, err)
	require.Equal(t, "ab", got)
}

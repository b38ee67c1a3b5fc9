package xmlenc

import (
	"bytes"
	"encoding/xml"
	"fmt"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/internal/xmlutil"
)

// nsDecl is one namespace declaration: prefix "" is the default namespace.
type nsDecl struct {
	prefix, uri string
}

// inScope returns the namespace declarations in scope at el (its own and its
// ancestors'), nearest declaration winning, in a stable order (nearest
// element first, then document order of attributes). el may be nil.
func inScope(el *etree.Element) []nsDecl {
	seen := map[string]bool{}
	var out []nsDecl
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			prefix, ok := declaredPrefix(a)
			if !ok || prefix == "xml" || seen[prefix] {
				continue
			}
			seen[prefix] = true
			out = append(out, nsDecl{prefix, a.Value})
		}
	}
	return out
}

// declaredPrefix reports whether a is a namespace declaration and which
// prefix it declares.
func declaredPrefix(a etree.Attr) (string, bool) {
	switch {
	case a.Space == "xmlns":
		return a.Key, true
	case a.Space == "" && a.Key == "xmlns":
		return "", true
	}
	return "", false
}

// declares reports whether el itself declares prefix.
func declares(el *etree.Element, prefix string) bool {
	for _, a := range el.Attr {
		if p, ok := declaredPrefix(a); ok && p == prefix {
			return true
		}
	}
	return false
}

// addDecls declares on el every namespace of decls that el does not declare
// itself. Declarations el already has shadow those from decls, as they would
// in the original document.
func addDecls(el *etree.Element, decls []nsDecl) {
	for _, d := range decls {
		if declares(el, d.prefix) {
			continue
		}
		if d.prefix == "" {
			el.CreateAttr("xmlns", d.uri)
		} else {
			el.CreateAttr("xmlns:"+d.prefix, d.uri)
		}
	}
}

// checkPrefixes returns an error naming the first element or attribute prefix
// in the subtree of el that no declaration within the subtree resolves. The
// xml and xmlns prefixes are predeclared.
func checkPrefixes(el *etree.Element, declared map[string]bool) error {
	local, copied := declared, false
	for _, a := range el.Attr {
		if p, ok := declaredPrefix(a); ok && p != "" {
			if !copied {
				local, copied = make(map[string]bool, len(declared)+1), true
				for k := range declared {
					local[k] = true
				}
			}
			local[p] = true
		}
	}
	if el.Space != "" && !local[el.Space] {
		return fmt.Errorf("%w: element %s uses undeclared prefix %q", ErrEncrypt, el.FullTag(), el.Space)
	}
	for _, a := range el.Attr {
		if a.Space != "" && a.Space != "xmlns" && a.Space != "xml" && !local[a.Space] {
			return fmt.Errorf("%w: attribute %s uses undeclared prefix %q", ErrEncrypt, a.FullKey(), a.Space)
		}
	}
	for _, c := range el.ChildElements() {
		if err := checkPrefixes(c, local); err != nil {
			return err
		}
	}
	return nil
}

// serialize writes a copy of el that declares on its root every namespace in
// scope at el, so the bytes parse on their own and keep QName values such as
// xsi:type="xs:string" meaningful. Text and attribute values are escaped so
// that they read back byte for byte (carriage returns, tabs, newlines in
// attributes), which keeps an enveloped signature inside el valid.
func serialize(el *etree.Element) ([]byte, error) {
	c := el.Copy()
	addDecls(c, inScope(el.Parent()))
	if err := checkPrefixes(c, map[string]bool{}); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.WriteSettings.CanonicalText = true
	doc.WriteSettings.CanonicalAttrVal = true
	doc.SetRoot(c)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncrypt, err)
	}
	return b, nil
}

// wrapperTag is the local name of the synthetic root that gives a decrypted
// plaintext the namespace context of the EncryptedData it replaces.
const wrapperTag = "eidkit-xmlenc-context"

// wrap returns plaintext inside a synthetic root element that declares decls,
// after removing a leading byte order mark and XML declaration. Producers may
// rely on prefixes declared only on ancestors of the EncryptedData, since the
// decrypted element takes its place in that document.
func wrap(plaintext []byte, decls []nsDecl) []byte {
	plaintext = xmlutil.StripDeclaration(plaintext)
	var b bytes.Buffer
	b.Grow(len(plaintext) + 64*len(decls) + 2*len(wrapperTag) + 8)
	b.WriteString("<" + wrapperTag)
	for _, d := range decls {
		if d.prefix == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(" xmlns:" + d.prefix + `="`)
		}
		// EscapeText only fails when the writer does; bytes.Buffer never does.
		_ = xml.EscapeText(&b, []byte(d.uri))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	b.Write(plaintext)
	b.WriteString("</" + wrapperTag + ">")
	return b.Bytes()
}

// unwrap returns the single element child of the synthetic root, detached
// and carrying the root's namespace declarations it does not redeclare.
func unwrap(root *etree.Element) (*etree.Element, error) {
	if root == nil || root.Tag != wrapperTag || root.Space != "" {
		return nil, fmt.Errorf("plaintext escaped its context element")
	}
	var child *etree.Element
	for _, tok := range root.Child {
		switch t := tok.(type) {
		case *etree.Element:
			if child != nil {
				return nil, fmt.Errorf("plaintext holds more than one element")
			}
			child = t
		case *etree.CharData:
			if !t.IsWhitespace() {
				return nil, fmt.Errorf("plaintext holds text outside its element")
			}
		}
	}
	if child == nil {
		return nil, fmt.Errorf("plaintext holds no element")
	}
	root.RemoveChild(child)
	addDecls(child, inScope(root))
	return child, nil
}

// gotemplate-oracle renders Go text/template + sprig exactly as Bitnami sealed-secrets v0.36.6
// renders spec.template.data (pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go), so the
// tests can judge sealkit's engine against Go itself.
//
// stdin: a JSON array of cases {"template": "...", "values": {"k": "text" | {"b64": "..."}}}.
// stdout: a JSON array of results {"output": "text" | {"b64": "..."}, "error": bool, "goError": "..."}.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig/v3"
)

// Bitnami's func map: sprig's generic functions without those reading the environment or the network.
var sprigFuncMap = sprig.GenericFuncMap()

func init() {
	delete(sprigFuncMap, "env")
	delete(sprigFuncMap, "expandenv")
	delete(sprigFuncMap, "getHostByName")
}

// bytesJSON is text when valid UTF-8, else {"b64": ...}: the encoding of test/vectors/gotemplate-go.json.
type bytesJSON []byte

func (b bytesJSON) MarshalJSON() ([]byte, error) {
	if utf8.Valid(b) {
		return json.Marshal(string(b))
	}
	return json.Marshal(map[string]string{"b64": base64.StdEncoding.EncodeToString(b)})
}

func (b *bytesJSON) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*b = []byte(s)
		return nil
	}
	var enc struct{ B64 string }
	if err := json.Unmarshal(data, &enc); err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(enc.B64)
	*b = raw
	return err
}

type testCase struct {
	Name     string               `json:"name"`
	Template string               `json:"template"`
	Values   map[string]bytesJSON `json:"values"`
}

type result struct {
	Output  bytesJSON `json:"output"`
	Error   bool      `json:"error"`
	GoError string    `json:"goError,omitempty"`
}

// render is Bitnami's loop body for one template.data entry.
func render(c testCase) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{Output: bytesJSON{}, Error: true, GoError: fmt.Sprint("panic: ", r)}
		}
	}()
	name := c.Name
	if name == "" {
		name = "tpl"
	}
	data := make(map[string]string, len(c.Values))
	for k, v := range c.Values {
		data[k] = string(v)
	}
	var plaintext bytes.Buffer
	tmpl, err := template.New(name).Funcs(sprigFuncMap).Parse(c.Template)
	if err == nil {
		err = tmpl.Execute(&plaintext, data)
	}
	if err != nil {
		return result{Output: bytesJSON{}, Error: true, GoError: err.Error()}
	}
	return result{Output: plaintext.Bytes()}
}

func main() {
	// Local is UTC, as in the controller's container (no TZ): set before the first use of time.Local.
	os.Setenv("TZ", "UTC")
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "gotemplate-oracle: stdin is not a JSON array of cases:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = render(c)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "gotemplate-oracle:", err)
		os.Exit(1)
	}
}

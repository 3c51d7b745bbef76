package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load returns Default overlaid by the YAML file at path. Keys the file does
// not set keep their defaults; an empty path returns Default unchanged.
//
// Every unknown key is an error naming the key and its line, and a key that
// looks like it holds a secret (api_key:, token:) is rejected with a hint to
// use the environment instead. Errors name the file. Load does not read the
// environment: call ApplyEnv next.
func Load(path string) (Config, error) {
	c := Default()
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("read config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	if doc.Kind == 0 { // empty file
		return c, nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return c, fmt.Errorf("config %s:%d: top level must be a mapping of keys, not a %s", path, root.Line, kindName(root))
	}
	if errs := checkKeys(root, reflect.TypeOf(c), ""); len(errs) > 0 {
		for i, e := range errs {
			errs[i] = fmt.Errorf("config %s:%w", path, e)
		}
		return c, errors.Join(errs...)
	}
	if err := root.Decode(&c); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// keyError is an unknown or forbidden key of the file.
type keyError struct {
	line int
	msg  string
}

func (e *keyError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

// checkKeys compares the keys of a mapping node with the yaml tags of struct
// type t and returns an error for every key that has no field, recursing into
// nested structs. prefix is the dotted path of the mapping ("" at the top).
func checkKeys(n *yaml.Node, t reflect.Type, prefix string) []error {
	fields := yamlFields(t)
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := prefix + k.Value
		f, ok := fields[k.Value]
		switch {
		case !ok && looksSecret(k.Value):
			errs = append(errs, &keyError{k.Line, secretHint(path, fields)})
		case !ok:
			errs = append(errs, &keyError{k.Line, fmt.Sprintf("unknown key %q (known keys here: %s)", path, knownKeys(fields))})
		case f.Type.Kind() == reflect.Struct && v.Kind == yaml.MappingNode:
			errs = append(errs, checkKeys(v, f.Type, path+".")...)
		}
	}
	return errs
}

// yamlFields maps the yaml key of each exported field of struct type t to
// the field. Fields tagged "-" (the secrets) have no key.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := make(map[string]reflect.StructField)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || name == "" {
			continue
		}
		m[name] = f
	}
	return m
}

func knownKeys(fields map[string]reflect.StructField) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// looksSecret reports whether a key name looks like it holds a secret value
// rather than the name of a variable (…_env).
func looksSecret(key string) bool {
	k := strings.ToLower(strings.ReplaceAll(key, "-", "_"))
	if strings.HasSuffix(k, "_env") {
		return false
	}
	// Key names, or last "_" parts of key names, that mean the file is
	// trying to hold a credential.
	for _, w := range [...]string{"key", "apikey", "api_key", "token", "secret", "password", "passwd", "credential", "credentials"} {
		if k == w || strings.HasSuffix(k, "_"+w) {
			return true
		}
	}
	return false
}

// secretHint explains where a secret found in the file belongs. It never
// repeats the value.
func secretHint(path string, fields map[string]reflect.StructField) string {
	msg := fmt.Sprintf("key %q looks like a secret; secrets are read only from the environment, never from the config file", path)
	parent := ""
	if i := strings.LastIndex(path, "."); i >= 0 {
		parent = path[:i+1]
	}
	for name := range fields {
		if strings.HasSuffix(name, "_env") {
			return msg + fmt.Sprintf(": put it in an environment variable and name that variable with %q", parent+name)
		}
	}
	if strings.HasPrefix(path, "telegram.") {
		return msg + ": set TELEGRAM_BOT_TOKEN"
	}
	return msg
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.AliasNode:
		return "alias"
	}
	return "mapping"
}

package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"policybot/ingest"
)

// maxSkipLines bounds the lines listing skipped files.
const maxSkipLines = 20

// skipped is a file of the corpus that ingest will not read.
type skipped struct{ rel, why, fix string }

// checkCorpus checks that the corpus folder is readable, counts its files
// by format and lists those that will be skipped (unsupported formats,
// empty files, files over maxFile bytes when maxFile > 0). It reports whether the
// folder could be read.
func checkCorpus(r *Report, dir string, maxFile int64) bool {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.fail(NeedAsk, "corpus", fmt.Sprintf("folder %s does not exist", dir),
			"create it and put the documents in it, or name the right folder (corpus: in the config, POLICYBOT_CORPUS or --corpus)")
		return false
	case err != nil:
		r.fail(NeedAsk, "corpus", err.Error(), "give the user policybot runs as read access to the folder")
		return false
	case !fi.IsDir():
		r.fail(NeedAsk, "corpus", fmt.Sprintf("%s is a file, not a folder", dir), "name the folder that holds the documents")
		return false
	}
	counts := map[string]int{}
	var skips []skipped
	var unreadable []string
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			unreadable = append(unreadable, path)
			if d != nil && d.IsDir() && path != dir {
				return filepath.SkipDir
			}
			return err
		}
		name := d.Name()
		if path != dir && strings.HasPrefix(name, ".") { // as ingest does
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		read, err := ingest.FormatOf(name)
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".") // counted by extension
		switch {
		case err != nil:
			skips = append(skips, unsupported(rel, name, err))
			return nil
		case read == "":
			return nil // ingest ignores it silently
		}
		info, err := d.Info()
		if err != nil {
			unreadable = append(unreadable, rel)
			return nil
		}
		if info.Size() == 0 {
			skips = append(skips, skipped{rel, "empty file", "fill it or delete it"})
			return nil
		}
		if maxFile > 0 && info.Size() > maxFile {
			skips = append(skips, skipped{rel, fmt.Sprintf("%.1f MB, over ingest.max_file_mb (%d MB)", float64(info.Size())/(1<<20), maxFile>>20),
				"split the file, or raise ingest.max_file_mb in the config"})
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			unreadable = append(unreadable, rel)
			return nil
		}
		f.Close()
		counts[format]++
		return nil
	})
	if walkErr != nil && len(unreadable) == 0 {
		unreadable = append(unreadable, walkErr.Error())
	}
	if len(unreadable) > 0 {
		r.fail(NeedAsk, "corpus", fmt.Sprintf("cannot read %s", firstN(unreadable, 5)),
			"give the user policybot runs as read access (chmod -R a+rX "+dir+")")
		return false
	}
	total := 0
	formats := make([]string, 0, len(counts))
	for f, n := range counts {
		total += n
		formats = append(formats, f)
	}
	sort.Slice(formats, func(i, j int) bool {
		if counts[formats[i]] != counts[formats[j]] {
			return counts[formats[i]] > counts[formats[j]]
		}
		return formats[i] < formats[j]
	})
	parts := make([]string, len(formats))
	for i, f := range formats {
		parts[i] = fmt.Sprintf("%s %d", f, counts[f])
	}
	if total == 0 {
		r.fail(NeedAsk, "corpus", fmt.Sprintf("%s holds no document policybot can read", dir),
			"put .txt .md .docx .pdf .ofd .html files in it")
	} else {
		r.pass("corpus", "%s: %d files to read (%s), %d to skip", dir, total, strings.Join(parts, ", "), len(skips))
	}
	for i, s := range skips {
		if i == maxSkipLines {
			r.fail(Advice, "skipped file", fmt.Sprintf("and %d more", len(skips)-maxSkipLines), "see the lines above")
			break
		}
		r.fail(Advice, "skipped file", s.rel+": "+s.why, s.fix)
	}
	return true
}

// unsupported describes a file of a format ingest knows but does not read,
// with ingest's own advice on converting it.
func unsupported(rel, name string, err error) skipped {
	ext := strings.ToLower(filepath.Ext(name))
	s := skipped{rel: rel, why: ext + " files are not read", fix: "convert it to .docx, .pdf or .txt"}
	if _, how, cut := strings.Cut(err.Error(), "; "); cut {
		s.fix = how
	}
	return s
}

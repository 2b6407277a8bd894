;;; emacs_eglot_driver.el --- drive eglot against backend-lsp; write what it saw as JSON
;; Usage: BLSP_FILE=... BLSP_PYTHON=... BLSP_OUT=... emacs --batch -Q -l emacs_eglot_driver.el
;; The server is registered the way the README says (eglot-server-programs + eglot-ensure).
(require 'json)
(require 'cl-lib)
;; -Q skips Debian's site start-up, which is what adds its elpa-* packages (elpa-eglot on
;; Emacs 28; Emacs 29+ has eglot built in).
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)

(defvar blsp-result nil)
(defun blsp-put (key value) (push (cons key value) blsp-result))
(defun blsp-finish ()
  (with-temp-file (getenv "BLSP_OUT") (insert (json-encode blsp-result)))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs 0))
(defun blsp-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))
(defun blsp-codes ()
  (mapcar (lambda (d) (let ((text (flymake-diagnostic-text d)))
                        (if (string-match "\\[\\(BE[0-9]+\\)\\]" text) (match-string 1 text) text)))
          (flymake-diagnostics)))

;; Every publishDiagnostics eglot receives: the codes in it.
(defvar blsp-published nil)
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (push (vconcat (mapcar (lambda (d) (plist-get d :code))
                                       (plist-get params :diagnostics)))
                      blsp-published))))

(condition-case err
    (progn
      (add-to-list 'eglot-server-programs
                   `((python-mode python-ts-mode) . (,(getenv "BLSP_PYTHON") "-m" "backend_lsp.lsp")))
      (add-hook 'python-mode-hook #'eglot-ensure)
      (find-file (getenv "BLSP_FILE"))
      (run-hooks 'post-command-hook)   ; eglot-ensure connects after the command that opened it
      (unless (blsp-wait (lambda () (eglot-current-server)) 20) (error "eglot did not connect"))
      (blsp-put 'managed (and eglot--managed-mode t))
      (unless (blsp-wait (lambda () (flymake-diagnostics)) 30) (error "no diagnostics arrived"))
      (blsp-put 'codes (vconcat (blsp-codes)))
      ;; The way a user gets there: flymake-goto-next-error puts point on the finding.
      (goto-char (point-min))
      (flymake-goto-next-error 1 nil t)
      (let* ((server (eglot-current-server))
             (hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
             (actions (eglot-code-actions (point) (point) nil nil))
             (fix (cl-find-if (lambda (a) (string-prefix-p "quickfix" (or (plist-get a :kind) "")))
                              actions)))
        (blsp-put 'hover (plist-get (plist-get hover :contents) :value))
        (blsp-put 'titles (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
        (unless fix (error "no quick fix offered"))
        (blsp-put 'fix_title (plist-get fix :title))
        ;; eglot's own apply path (the one M-x eglot-code-actions ends in)
        (eglot--read-execute-code-action (list fix) server "quickfix")
        (blsp-put 'text (buffer-substring-no-properties (point-min) (point-max)))
        ;; eglot sends didChange and flymake re-checks on idle timers, and batch Emacs is never
        ;; idle: run what those timers run.
        (blsp-wait (lambda () (eglot--signal-textDocument/didChange) (flymake-start) (accept-process-output nil 0.2)
                     (not (member "BE015" (blsp-codes))))
                   20)
        (blsp-put 'codes_after (vconcat (blsp-codes)))
        (blsp-put 'published (vconcat (reverse blsp-published)))))
  (error (blsp-put 'error (error-message-string err))))
(blsp-finish)

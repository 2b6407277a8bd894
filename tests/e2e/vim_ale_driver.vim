" Drive Vim 9 + ALE (Debian's vim-ale) against backend-lsp; write what it saw as JSON.
" Usage: BLSP_FILE=... BLSP_PYTHON=... BLSP_OUT=... vim -N -u NONE -i NONE -n -es -S vim_ale_driver.vim
" The linter is defined the way the README says (ale#linter#Define with 'lsp': 'stdio').
set nocompatible
let s:result = {}
function! s:Finish() abort
  call writefile([json_encode(s:result)], $BLSP_OUT)
  qall!
endfunction
function! s:Wait(expr, seconds) abort
  let l:n = 0
  while !eval(a:expr) && l:n < a:seconds * 20
    sleep 50m
    let l:n += 1
  endwhile
  return eval(a:expr)
endfunction
function! s:Codes() abort
  return map(copy(ale#engine#GetLoclist(bufnr(''))), 'get(v:val, "code", "")')
endfunction
let s:menu = v:null
function! s:OnMenu(data, items) abort
  let s:menu = [a:data, a:items]
endfunction

try
  packadd ale
  filetype plugin on
  let g:ale_linters_explicit = 1
  let g:ale_linters = {'python': ['backend-lsp']}
  call ale#linter#Define('python', {
  \   'name': 'backend-lsp',
  \   'lsp': 'stdio',
  \   'executable': $BLSP_PYTHON,
  \   'command': '%e -m backend_lsp.lsp',
  \   'project_root': {buffer -> ale#path#Dirname(ale#path#FindNearestFile(buffer, 'pyproject.toml'))},
  \})
  execute 'edit' fnameescape($BLSP_FILE)
  let s:result.filetype = &filetype
  ALELint
  if !s:Wait('!empty(ale#engine#GetLoclist(bufnr("")))', 30)
    throw 'no diagnostics arrived'
  endif
  let s:result.codes = s:Codes()
  let s:item = ale#engine#GetLoclist(bufnr(''))[0]
  let s:result.text_of_finding = s:item.text
  " What :ALECodeAction does, with the menu callback ALE's popup menu uses instead of a prompt.
  call cursor(s:item.lnum, 1)   " the line start: ALE sends the line's nearest finding
  call ale#codefix#Execute(0, function('s:OnMenu'))
  if !s:Wait('s:menu isnot v:null', 10)
    throw 'no code action answer'
  endif
  let s:result.titles = map(copy(s:menu[1]), 'v:val[1].title')
  let s:fixes = filter(copy(s:menu[1]), 'get(v:val[1], "kind", "") =~# "^quickfix"')
  if empty(s:fixes)
    throw 'no quick fix offered'
  endif
  let s:result.fix_title = s:fixes[0][1].title
  call ale#codefix#ApplyLSPCodeAction(s:menu[0], s:fixes[0][1])
  let s:result.text = join(getline(1, '$'), "\n")
  " ALE tells the server about the change when it lints again.
  let s:n = 0
  while index(s:Codes(), 'BE015') >= 0 && s:n < 40
    ALELint
    sleep 250m
    let s:n += 1
  endwhile
  let s:result.codes_after = s:Codes()
catch
  let s:result.error = v:exception . ' at ' . v:throwpoint
endtry
call s:Finish()

# Start-up (issue 2): an empty chunk, lexis against the stock interpreter.
# Goal: lexis -e '' takes no more than twice lua5.4 -e ''.

task "startup" -
lexis startup "lexis -e ''"  '"$LEXIS" -e ""'  loop
peer  lua     "lua5.4 -e ''" 'lua5.4 -e ""'    loop vs=startup needs=lua5.4

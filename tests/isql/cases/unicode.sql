select 'emoji 😀 and clef 𝄞', length('😀𝄞')


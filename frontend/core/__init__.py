"""What every face shares: settings, who may use each route (access), errors as pages, languages,
template rendering, request limits and session times. Imports nothing else in frontend/ but the asset folders."""

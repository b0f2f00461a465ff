# syntax=docker/dockerfile:1
# The inference API (src/Api) with the bundled models/. CPU by default:
#   docker build -t conr-api:cpu --build-arg SOURCE_REVISION=$(git rev-parse HEAD) .
#   docker run --rm -p 8080:8080 conr-api:cpu                    # then http://localhost:8080/swagger
# GPU (CUDA 13 + cuDNN 9, what Microsoft.ML.OnnxRuntime.Gpu 1.31 needs; the .NET runtime ships in the app):
#   docker build -t conr-api:gpu --build-arg RUNTIME_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04 --build-arg SELF_CONTAINED=true .
#   docker run --rm --gpus all -p 8080:8080 -e Inference__Device=cuda conr-api:gpu
# See deploy/README.md for configuration, probes and the admin key.

ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0
ARG SELF_CONTAINED=false
# The commit the image is built from: the context has no .git, so pass it to stamp the version (GET /v1/models).
ARG SOURCE_REVISION=

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SELF_CONTAINED
ARG SOURCE_REVISION
WORKDIR /src
# Restore first, from the project files only, so a code change does not re-download packages.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY build/ build/
COPY src/Shared/ConR.Shared.csproj src/Shared/
COPY src/Api/ConR.Api.csproj src/Api/
RUN dotnet restore src/Api/ConR.Api.csproj -r linux-x64 -p:SelfContained=${SELF_CONTAINED}
# The rest of the context (.dockerignore lets in only the props, src/Shared, src/Api and models/).
COPY . .
RUN dotnet publish src/Api/ConR.Api.csproj -c Release -r linux-x64 --self-contained ${SELF_CONTAINED} --no-restore -o /app \
      -p:SourceRevisionId=${SOURCE_REVISION:-unknown}
# models/ holds the bundled packages; without it the image still builds (the service then refuses to start, saying why).
RUN mkdir -p /src/models

FROM ${RUNTIME_IMAGE} AS runtime
ARG SELF_CONTAINED
# A self-contained app on a CUDA base image still needs OpenSSL (SHA-256 of model files) and libstdc++.
RUN if [ "$SELF_CONTAINED" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends ca-certificates libstdc++6 \
      && (apt-get install -y --no-install-recommends libssl3t64 || apt-get install -y --no-install-recommends libssl3) \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=build /app ./
COPY --from=build /src/models /models
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Inference__ModelRepository=/models \
    Inference__Device=auto \
    DOTNET_gcServer=0
EXPOSE 8080
# Ready = every configured model loaded and warmed up. No curl in the base images: bash's /dev/tcp speaks the HTTP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /v2/health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The non-root user of the .NET images (UID 1654); a numeric UID also works on bases without it.
USER 1654
ENTRYPOINT ["sh", "-c", "if [ -x ./ConR.Api ]; then exec ./ConR.Api; else exec dotnet ConR.Api.dll; fi"]

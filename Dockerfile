# syntax=docker/dockerfile:1.7
# One image recipe for every Trendmill service:
#   docker build --build-arg SERVICE=normalizer -t trendmill/normalizer .
# The image holds the whole built monorepo (so the migration job can run from any service's image);
# SERVICE only chooses what the container starts.
# Debian (glibc) rather than Alpine: usearch ships prebuilt binaries for glibc only; on musl it
# would compile from source and need a toolchain in the image.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- manifests: only package.json files and the lockfile, so `npm ci` stays cached while sources change
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
  && cp package.json package-lock.json /manifests/ \
  && find shared-contracts services -name package.json -not -path '*/node_modules/*' \
     -exec sh -c 'mkdir -p "/manifests/$(dirname "$1")" && cp "$1" "/manifests/$1"' _ {} \;

# --- build: install, generate Prisma clients offline, compile, drop dev dependencies
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# transformers.js is an optional provider: never fetch onnxruntime's CUDA bundle at install.
ENV CI=true \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    ONNXRUNTIME_NODE_INSTALL=skip
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
# The Prisma CLI wants to download its schema engine before `generate`; generation itself needs none.
RUN npm run --workspaces --if-present --silent prisma:generate \
  && npx lerna run build --loglevel warn \
  && npm prune --omit=dev \
  && find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<service>' >&2; exit 1; }; \
    test -f "services/${SERVICE}/dist/main.js" \
      || { echo "services/${SERVICE}/dist/main.js missing: SERVICE must name a deployable service" >&2; exit 1; }

# --- runtime: no compiler, no dev dependencies, not root
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    TRENDMILL_SERVICE=${SERVICE} \
    HTTP_PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /app /app
LABEL org.opencontainers.image.title="trendmill-${SERVICE}" \
      org.opencontainers.image.licenses="MIT"
# uid 1000 is the image's `node` user; numeric so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `exec` makes node PID 1's successor, so SIGTERM reaches the service and it drains before exiting.
ENTRYPOINT ["/bin/sh", "-c", "exec node --import ./services/platform/dist/runtime/tracing-preload.js \"services/${TRENDMILL_SERVICE}/dist/main.js\" \"$@\"", "--"]

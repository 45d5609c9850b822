# syntax=docker/dockerfile:1
#
# The resettlement pledge tracker: a build stage compiles TypeScript, builds the web app into
# dist/web and compiles better-sqlite3's native addon; the runtime stage holds only dist/ (the
# server and the web app it serves at /) and the production node_modules, and runs as `node`.
#
#   docker build -t resettlement-pledge-tracker .
#   docker run -p 3000:3000 -v pledges-data:/data \
#     -v "$PWD/deploy/tokens.example.json:/etc/pledges/tokens.json:ro" \
#     -e PLEDGES_TOKENS_FILE=/etc/pledges/tokens.json resettlement-pledge-tracker
#
# NODE_IMAGE pins the base for both stages to an exact release of Node.js 24, the LTS line
# ('Krypton') maintained until 2028-04-30; Node.js 20 reached its end of life on 2026-04-30. The
# development machines still run Node.js 20 (package.json engines: >=20), and CI runs the whole
# test suite on both: .ci/test-on-node24 reads this pin and runs the same release, taken from the
# npm registry. Move to a newer 24.x here (CI follows) or with --build-arg NODE_IMAGE=....
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build

# Toolchain for better-sqlite3's node-gyp build.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*

# Node.js 24.22.3 ships npm 11.19.1, the npm the project uses: it honours package.json
# "allowScripts", so only approved packages run install scripts here too. (An older base image
# with npm 10 would run every dependency's install script: upgrade its npm first.)

# Build better-sqlite3 from the source in its registry package against the image's own Node.js
# headers, instead of prebuild-install downloading a binary from outside the npm registry.
# (npm warns that "build-from-source" is an unknown config; prebuild-install still reads it.)
ENV npm_config_build_from_source=better-sqlite3 \
    npm_config_nodedir=/usr/local

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
# Compile the server and build the web app (`npm run build`: dist/ and dist/web), drop the dev
# dependencies, and keep only the compiled addon of better-sqlite3 (its SQLite sources and object
# files are not needed at run time).
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund \
    && cd node_modules/better-sqlite3 \
    && mv build/Release/better_sqlite3.node /tmp/better_sqlite3.node \
    && rm -rf build deps src \
    && mkdir -p build/Release \
    && mv /tmp/better_sqlite3.node build/Release/better_sqlite3.node

FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PLEDGES_DB_FILE=/data/pledges.db

# /data holds the SQLite store (EVENT_STORE=sqlite); it belongs to the unprivileged `node` user.
# npm, npx, corepack and yarn are not needed to run the server: remove them.
RUN mkdir -p /data \
    && chown node:node /data \
    && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
        /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
        /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*

WORKDIR /app
# Owned by root and read-only to the server: the code cannot be changed by the process running it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
# The server and, in dist/web, the web app it serves (PLEDGES_WEB_DIR defaults to it).
COPY --from=build /app/dist ./dist

USER node
VOLUME ["/data"]
EXPOSE 3000

# Liveness: GET /health on the container's own port (the slim image has no curl).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/health',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"]

CMD ["node", "dist/main.js"]

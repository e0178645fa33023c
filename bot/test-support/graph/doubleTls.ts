import selfsigned from "selfsigned";

/**
 * A throwaway self-signed certificate for 127.0.0.1 / localhost, made when the local Graph double
 * (tests and the bench) first loads. Nothing is committed: the key exists only in this process.
 */
const generated = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
  notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
  keySize: 2048,
  extensions: [
    { name: "basicConstraints", cA: true },
    { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
  ],
});

export const doubleCert: string = generated.cert;
export const doubleKey: string = generated.private;

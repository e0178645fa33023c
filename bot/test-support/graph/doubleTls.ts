import selfsigned from "selfsigned";

/**
 * A throwaway self-signed certificate for 127.0.0.1 / localhost, made when the local Graph double
 * (tests and the bench) first loads. Nothing is committed: the key exists only in this process.
 */
const generated = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
  // OpenSSL checks validity against the machine's clock, which tests may move (faketime): valid
  // from 2000 to 2099, so the double works on any date without reading one.
  notBeforeDate: new Date("2000-01-01T00:00:00Z"),
  notAfterDate: new Date("2099-12-31T23:59:59Z"),
  keySize: 2048,
  extensions: [
    { name: "basicConstraints", cA: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 2, value: "localhost" },
      ],
    },
  ],
});

export const doubleCert: string = generated.cert;
export const doubleKey: string = generated.private;
